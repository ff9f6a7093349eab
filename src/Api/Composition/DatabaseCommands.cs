using System.Globalization;
using Mediator;
using RenderOwl.Infrastructure.Persistence;
using RenderOwl.Infrastructure.Persistence.Maintenance;

namespace RenderOwl.Api.Composition;

/// <summary>
/// The database's one-shot commands of the API binary (<c>make db-stats</c>, <c>db-cleanup</c>, <c>db-optimize</c>,
/// <c>db-integrity</c>, <c>migrate-status</c>, <c>migrate-dry-run</c>): each prints its report and exits, 1 when it found a problem.
/// </summary>
public static class DatabaseCommands
{
    /// <summary><c>db migrate-status</c> and <c>db migrate-dry-run</c>: read-only, run before start-up would migrate anything.</summary>
    public static async Task<bool> TryRunMigrationCommandAsync(this WebApplication app, string[] args)
    {
        if (args is not ["db", "migrate-status" or "migrate-dry-run", ..])
        {
            return false;
        }
        await using var scope = app.Services.CreateAsyncScope();
        await using var db = NpgsqlSetup.DirectContext(scope.ServiceProvider);
        if (args[1] == "migrate-dry-run")
        {
            var script = await DatabaseMigrator.PendingScriptAsync(db);
            Console.WriteLine(script ?? "-- Nothing to apply: every migration of this build has been applied.");
            return true;
        }
        var audit = new MigrationAudit(db);
        var states = await audit.ReadAsync(CancellationToken.None);
        Console.WriteLine($"{"migration",-52} {"state",-9} {"applied at (UTC)",-20} {"took",9}  checksum");
        foreach (var s in states)
        {
            var checksum = !s.Applied ? "-" : s.Changed ? $"CHANGED (applied {s.RecordedChecksum![..12]}…, code {s.CodeChecksum[..Math.Min(12, s.CodeChecksum.Length)]}…)"
                : s.RecordedChecksum is null ? "not recorded yet" : $"ok {s.CodeChecksum[..12]}…";
            var at = s.AppliedAt?.UtcDateTime.ToString("yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture) ?? (s.Applied ? "before the audit" : "");
            var took = s.DurationMs is { } ms ? $"{ms:N0} ms" : "";
            Console.WriteLine($"{s.Id,-52} {(s.Applied ? "applied" : "PENDING"),-9} {at,-20} {took,9}  {checksum}");
        }
        var pending = states.Count(s => !s.Applied);
        Console.WriteLine($"{states.Count(s => s.Applied)} applied, {pending} pending{(states.Any(s => s.Changed) ? ", CHANGED ones would stop start-up" : "")}.");
        Environment.ExitCode = states.Any(s => s.Changed) ? 1 : 0;
        return true;
    }

    /// <summary><c>db migrate|stats|cleanup|optimize|integrity|reencrypt-keys</c>, after start-up's migrations and checks.</summary>
    public static async Task<bool> TryRunDatabaseCommandAsync(this WebApplication app, string[] args)
    {
        if (args is not ["db", var command, ..] || command is not ("migrate" or "stats" or "cleanup" or "optimize" or "integrity" or "reencrypt-keys"))
        {
            return false;
        }
        await using var scope = app.Services.CreateAsyncScope();
        var services = scope.ServiceProvider;
        switch (command)
        {
            case "migrate": // start-up has just applied them (Database:MigrateOnStartup) and checked every checksum
                Console.WriteLine("The database is up to date; every applied migration's checksum matches this build.");
                break;
            case "stats":
                PrintStats(await services.GetRequiredService<DatabaseStats>().ReadAsync(CancellationToken.None));
                break;
            case "cleanup":
                await CleanupAsync(services);
                break;
            case "optimize":
                Console.WriteLine("VACUUM (ANALYZE):");
                var tables = await services.GetRequiredService<DatabaseOptimizer>().VacuumAnalyzeAsync(t => Console.WriteLine($"  {t.Table,-48} {t.ElapsedMs,8:N0} ms"), CancellationToken.None);
                Console.WriteLine($"{tables.Count} table(s) vacuumed and analysed in {tables.Sum(t => t.ElapsedMs):N0} ms. Then the cleanup:");
                await CleanupAsync(services);
                break;
            case "reencrypt-keys":
                var keys = await services.GetRequiredService<Infrastructure.Security.DataProtectionKeyReencryptor>().RunAsync(CancellationToken.None);
                if (keys.Unreadable.Count > 0)
                {
                    Console.WriteLine($"Nothing changed: {keys.Unreadable.Count} of {keys.Keys} Data Protection key(s) open with no configured key-encryption key ({string.Join(", ", keys.Unreadable)}); add the key that encrypted them to DataProtection:PreviousKeyEncryptionKeys.");
                    Environment.ExitCode = 1;
                    break;
                }
                Console.WriteLine($"{keys.Reencrypted} of {keys.Keys} Data Protection key(s) re-encrypted with the current key-encryption key ({keys.AlreadyCurrent} already were); DataProtection:PreviousKeyEncryptionKeys may now be removed.");
                break;
            default:
                var report = await services.GetRequiredService<DatabaseIntegrity>().CheckAsync(CancellationToken.None);
                foreach (var f in report.Findings)
                {
                    Console.WriteLine($"{(f.Problems == 0 ? "ok  " : "FAIL")} {f.Kind,-12} {f.Check}{(f.Problems == 0 ? "" : $": {f.Problems:N0} — e.g. {string.Join(", ", f.Examples)}")}");
                }
                if (report.AmcheckUnavailable is { } why)
                {
                    Console.WriteLine($"skip index       {why}");
                }
                Console.WriteLine(report.Healthy ? "Integrity: no problem found." : $"Integrity: {report.Findings.Count(f => f.Problems > 0)} check(s) failed.");
                Environment.ExitCode = report.Healthy ? 0 : 1;
                break;
        }
        return true;
    }

    private static async Task CleanupAsync(IServiceProvider services)
    {
        var sender = services.GetRequiredService<ISender>();
        foreach (var (policy, rows) in await sender.Send(new Application.Operations.ApplyRetentionCommand()))
        {
            Console.WriteLine($"{policy,-24} {rows,10:N0} row(s) removed");
        }
        var partitions = await sender.Send(new Application.Analytics.MaintainAnalyticsPartitionsCommand());
        Console.WriteLine($"{"analytics partitions",-24} created: {string.Join(", ", partitions.Created.DefaultIfEmpty("none"))}; dropped: {string.Join(", ", partitions.Dropped.DefaultIfEmpty("none"))}");
        var monitoring = await sender.Send(new Application.Operations.Monitoring.MaintainMonitoringPartitionsCommand());
        Console.WriteLine($"{"monitoring partitions",-24} created: {string.Join(", ", monitoring.DefaultIfEmpty("none"))}");
    }

    private static void PrintStats(DatabaseFigures figures)
    {
        Console.WriteLine($"database size {Bytes(figures.DatabaseBytes)}, {figures.Connections} connection(s), buffer cache hit ratio {(figures.CacheHitRatio is { } hit ? hit.ToString("P2", CultureInfo.InvariantCulture) : "n/a")}");
        Console.WriteLine(figures.Oldest is { } o
            ? $"oldest open transaction: {o.AgeSeconds:N1} s (pid {o.Pid}, {o.State}): {o.Query}"
            : "oldest open transaction: none");
        Console.WriteLine();
        Console.WriteLine($"{"table",-44} {"rows (est.)",12} {"table",10} {"indexes",10} {"dead",9} {"dead %",7}  last vacuum");
        foreach (var t in figures.Tables)
        {
            Console.WriteLine($"{t.Name,-44} {t.EstimatedRows,12:N0} {Bytes(t.TableBytes),10} {Bytes(t.IndexBytes),10} {t.DeadTuples,9:N0} {t.DeadShare,7:P1}  {t.LastVacuum?.UtcDateTime.ToString("yyyy-MM-dd HH:mm", CultureInfo.InvariantCulture) ?? "never"}");
        }
        Console.WriteLine();
        Console.WriteLine($"{"largest indexes",-60} {"size",10} {"scans",12}");
        foreach (var i in figures.Indexes)
        {
            Console.WriteLine($"{i.Name,-60} {Bytes(i.Bytes),10} {i.Scans,12:N0}");
        }
    }

    private static string Bytes(long bytes) => bytes switch
    {
        < 1024 => $"{bytes} B",
        < 1024 * 1024 => $"{bytes / 1024.0:N0} KiB",
        < 1024L * 1024 * 1024 => $"{bytes / 1024.0 / 1024:N1} MiB",
        _ => $"{bytes / 1024.0 / 1024 / 1024:N2} GiB",
    };
}
