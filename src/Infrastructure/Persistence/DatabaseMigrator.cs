using Hangfire.PostgreSql;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;
using Npgsql;

namespace RenderOwl.Infrastructure.Persistence;

/// <summary>Applies the EF migrations and installs the Hangfire schema: the one way the database gets its shape.</summary>
public static class DatabaseMigrator
{
    public const string HangfireSchema = "hangfire";

    public static async Task MigrateAsync(AppDbContext db, ILogger logger, CancellationToken cancellationToken = default)
    {
        var pending = (await db.Database.GetPendingMigrationsAsync(cancellationToken)).ToList();
        if (pending.Count > 0)
        {
            logger.LogInformation("Applying {Count} migration(s): {Migrations}", pending.Count, string.Join(", ", pending));
        }
        await db.Database.MigrateAsync(cancellationToken);
        await using var connection = new NpgsqlConnection(db.Database.GetConnectionString());
        await connection.OpenAsync(cancellationToken);
        PostgreSqlObjectsInstaller.Install(connection, HangfireSchema);
    }
}
