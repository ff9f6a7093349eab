using System.Diagnostics;
using Npgsql;

namespace RenderOwl.Infrastructure.Persistence.Maintenance;

public sealed record VacuumedTable(string Table, long ElapsedMs);

/// <summary><c>make db-optimize</c>: <c>VACUUM (ANALYZE)</c> of every table (a partitioned one with its partitions), one at a time.</summary>
public sealed class DatabaseOptimizer(DataSources databases)
{
    public async Task<IReadOnlyList<VacuumedTable>> VacuumAnalyzeAsync(Action<VacuumedTable>? progress, CancellationToken cancellationToken)
    {
        await using var connection = await databases.Direct.OpenConnectionAsync(cancellationToken); // maintenance: on the primary itself, never through a pooler
        var tables = await DatabaseStats.ReadAllAsync(connection, MaintenanceSql.VacuumTargets, r => r.GetString(0), cancellationToken);
        var done = new List<VacuumedTable>();
        foreach (var table in tables)
        {
            var started = Stopwatch.GetTimestamp();
            // VACUUM cannot run in a transaction block or take parameters: the name comes from the catalogue, quoted by quote_ident.
            await using var vacuum = new NpgsqlCommand($"VACUUM (ANALYZE) {table}", connection) { CommandTimeout = 0 };
            await vacuum.ExecuteNonQueryAsync(cancellationToken);
            var entry = new VacuumedTable(table, (long)Stopwatch.GetElapsedTime(started).TotalMilliseconds);
            done.Add(entry);
            progress?.Invoke(entry);
        }
        return done;
    }
}
