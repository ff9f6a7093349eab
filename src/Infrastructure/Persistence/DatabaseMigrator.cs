using Hangfire.PostgreSql;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.Extensions.Logging;
using Npgsql;

namespace RenderOwl.Infrastructure.Persistence;

/// <summary>Applies the EF migrations and installs the Hangfire schema: the one way the database gets its shape.</summary>
public static class DatabaseMigrator
{
    public const string HangfireSchema = "hangfire";

    public static async Task MigrateAsync(AppDbContext db, ILogger logger, CancellationToken cancellationToken = default)
    {
        // EF probes the history table by querying it, which logs a failed command (at Error) on a fresh
        // database; creating it first with EF's own DDL keeps a normal first start free of error lines.
        var history = db.GetService<Microsoft.EntityFrameworkCore.Migrations.IHistoryRepository>();
        await db.Database.ExecuteSqlRawAsync(history.GetCreateIfNotExistsScript(), cancellationToken);
        var pending = (await db.Database.GetPendingMigrationsAsync(cancellationToken)).ToList();
        if (pending.Count > 0)
        {
            logger.LogInformation("Applying {Count} migration(s): {Migrations}", pending.Count, string.Join(", ", pending));
            await db.Database.MigrateAsync(cancellationToken);
        }
        // Nothing pending: MigrateAsync would still take the migrations lock and check the model for changes — a
        // tenth of a start-up (docs/benchmarks.md). A migration another instance applies meanwhile is its own to apply.
        await db.Database.OpenConnectionAsync(cancellationToken);
        try
        {
            PostgreSqlObjectsInstaller.Install((NpgsqlConnection)db.Database.GetDbConnection(), HangfireSchema);
        }
        finally
        {
            await db.Database.CloseConnectionAsync();
        }
    }
}
