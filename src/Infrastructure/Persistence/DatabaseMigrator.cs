using System.Diagnostics;
using Hangfire.PostgreSql;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;
using Microsoft.Extensions.Logging;
using Npgsql;
using RenderOwl.Infrastructure.Persistence.Maintenance;

namespace RenderOwl.Infrastructure.Persistence;

/// <summary>
/// Applies the EF migrations — one at a time, each timed and its SQL's SHA-256 recorded (<see cref="MigrationAudit"/>) —
/// and installs the Hangfire schema: the one way the database gets its shape.
/// </summary>
public static class DatabaseMigrator
{
    public const string HangfireSchema = "hangfire";

    public static async Task MigrateAsync(AppDbContext db, ILogger logger, CancellationToken cancellationToken = default)
    {
        await EnsureHistoryAsync(db, cancellationToken);
        var audit = new MigrationAudit(db);
        await audit.EnsureTableAsync(cancellationToken);
        var pending = (await db.Database.GetPendingMigrationsAsync(cancellationToken)).ToList();
        if (pending.Count > 0)
        {
            logger.LogInformation("Applying {Count} migration(s): {Migrations}", pending.Count, string.Join(", ", pending));
            var migrator = db.GetService<IMigrator>();
            foreach (var id in pending)
            {
                var started = Stopwatch.GetTimestamp();
                await migrator.MigrateAsync(id, cancellationToken);
                var elapsed = (long)Stopwatch.GetElapsedTime(started).TotalMilliseconds;
                await audit.RecordAsync(id, DateTimeOffset.UtcNow, elapsed, cancellationToken);
                logger.LogDebug("Migration {Migration} applied in {Elapsed} ms", id, elapsed);
            }
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

    /// <summary>
    /// Compares each applied migration's recorded checksum with the code's (recording those applied before the audit
    /// existed). Returns the changed ones; with <paramref name="accept"/> their new checksums are recorded instead.
    /// </summary>
    public static async Task<IReadOnlyList<MigrationState>> VerifyAsync(AppDbContext db, bool accept, ILogger logger, CancellationToken cancellationToken = default)
    {
        var started = Stopwatch.GetTimestamp();
        await EnsureHistoryAsync(db, cancellationToken);
        var audit = new MigrationAudit(db);
        await audit.EnsureTableAsync(cancellationToken);
        var states = await audit.ReadAsync(cancellationToken);
        logger.LogDebug("Checksums of {Count} migration(s) compared in {Elapsed} ms", states.Count, (long)Stopwatch.GetElapsedTime(started).TotalMilliseconds);
        var known = audit.All.ToHashSet(StringComparer.Ordinal);
        foreach (var unrecorded in states.Where(s => s.Applied && s.RecordedChecksum is null && known.Contains(s.Id)))
        {
            await audit.RecordAsync(unrecorded.Id, null, null, cancellationToken, unrecorded.CodeChecksum);
        }
        var changed = states.Where(s => s.Changed).ToList();
        if (changed.Count > 0 && accept)
        {
            foreach (var state in changed.Where(s => known.Contains(s.Id)))
            {
                await audit.AcceptAsync(state.Id, state.CodeChecksum, cancellationToken);
            }
            logger.LogWarning("Accepted the changed SQL of applied migration(s) {Migrations} (Database:AcceptChangedMigrations)", string.Join(", ", changed.Select(s => s.Id)));
            return [];
        }
        return changed;
    }

    /// <summary>
    /// The SQL that would bring the database up to date, idempotent (each migration guarded by its history row), without
    /// applying or creating anything; null when nothing is pending.
    /// </summary>
    public static async Task<string?> PendingScriptAsync(AppDbContext db, CancellationToken cancellationToken = default)
    {
        var pending = (await db.Database.GetPendingMigrationsAsync(cancellationToken)).ToList();
        if (pending.Count == 0)
        {
            return null;
        }
        var applied = (await db.Database.GetAppliedMigrationsAsync(cancellationToken)).LastOrDefault();
        return db.GetService<IMigrator>().GenerateScript(applied ?? Migration.InitialDatabase, pending[^1], MigrationsSqlGenerationOptions.Idempotent);
    }

    // EF probes the history table by querying it, which logs a failed command (at Error) on a fresh database; creating
    // it first with EF's own DDL keeps a normal first start free of error lines.
    private static async Task EnsureHistoryAsync(AppDbContext db, CancellationToken cancellationToken)
    {
        var history = db.GetService<IHistoryRepository>();
        await db.Database.ExecuteSqlRawAsync(history.GetCreateIfNotExistsScript(), cancellationToken);
    }
}
