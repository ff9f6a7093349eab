using Npgsql;
using NpgsqlTypes;
using RenderOwl.Application.Common.Abstractions;
using RenderOwl.Infrastructure.Observability;
using RenderOwl.Infrastructure.Persistence;

namespace RenderOwl.Infrastructure.Monitoring;

/// <summary>The operational history tables on the primary, through raw Npgsql: one round trip per minute's rows, daily partitions.</summary>
public sealed class MonitoringStore(DataSources databases) : IMonitoringStore
{
    private static readonly IReadOnlyDictionary<MonitoringTable, (string Name, string Key)> Tables = new Dictionary<MonitoringTable, (string, string)>
    {
        [MonitoringTable.QueueMetrics] = ("queue_metrics", "recorded_at"),
        [MonitoringTable.ApiMetrics] = ("api_metrics", "recorded_at"),
        [MonitoringTable.CacheMetrics] = ("cache_metrics", "recorded_at"),
        [MonitoringTable.ErrorLogs] = ("error_logs", "occurred_at"),
    };

    public async Task WriteQueueMetricsAsync(DateTimeOffset recordedAt, IReadOnlyList<QueueMetricRow> rows, CancellationToken cancellationToken)
    {
        await using var command = databases.Primary.CreateCommand(MonitoringSql.InsertQueueMetrics);
        command.Parameters.Add(new NpgsqlParameter<DateTimeOffset> { TypedValue = Domain.Common.Clock.ToStoragePrecision(recordedAt) });
        command.Parameters.Add(new NpgsqlParameter<string[]> { TypedValue = rows.Select(r => r.Queue).ToArray() });
        command.Parameters.Add(new NpgsqlParameter<int[]> { TypedValue = rows.Select(r => r.Depth).ToArray() });
        command.Parameters.Add(new NpgsqlParameter<int[]> { TypedValue = rows.Select(r => r.InFlight).ToArray() });
        command.Parameters.Add(new NpgsqlParameter<int?[]> { TypedValue = rows.Select(r => r.FailedLastHour).ToArray() });
        command.Parameters.Add(new NpgsqlParameter<int?[]> { TypedValue = rows.Select(r => r.SucceededLastHour).ToArray() });
        foreach (var column in new Func<QueueMetricRow, double?>[] { r => r.MeanWaitMs, r => r.MeanRunMs, r => r.WaitP50Ms, r => r.WaitP95Ms, r => r.RunP50Ms, r => r.RunP95Ms })
        {
            command.Parameters.Add(new NpgsqlParameter<double?[]> { TypedValue = rows.Select(column).ToArray() });
        }
        await command.ExecuteNonQueryProfiledAsync(databases.Profiler, DataSources.PrimaryName, cancellationToken);
    }

    public async Task WriteApiMetricsAsync(string instance, IReadOnlyList<ApiMetricRow> rows, CancellationToken cancellationToken)
    {
        if (rows.Count == 0)
        {
            return;
        }
        await using var command = databases.Primary.CreateCommand(MonitoringSql.InsertApiMetrics);
        command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = instance });
        command.Parameters.Add(new NpgsqlParameter<DateTimeOffset[]> { TypedValue = rows.Select(r => Domain.Common.Clock.ToStoragePrecision(r.RecordedAt)).ToArray() });
        command.Parameters.Add(new NpgsqlParameter<string[]> { TypedValue = rows.Select(r => r.Route).ToArray() });
        command.Parameters.Add(new NpgsqlParameter<int[]> { TypedValue = rows.Select(r => r.PeriodSeconds).ToArray() });
        command.Parameters.Add(new NpgsqlParameter<long[]> { TypedValue = rows.Select(r => r.Requests).ToArray() });
        command.Parameters.Add(new NpgsqlParameter<long[]> { TypedValue = rows.Select(r => r.Errors).ToArray() });
        foreach (var column in new Func<ApiMetricRow, double>[] { r => r.P50Ms, r => r.P95Ms, r => r.P99Ms, r => r.MaxMs })
        {
            command.Parameters.Add(new NpgsqlParameter<double[]> { TypedValue = rows.Select(column).ToArray() });
        }
        await command.ExecuteNonQueryProfiledAsync(databases.Profiler, DataSources.PrimaryName, cancellationToken);
    }

    public async Task WriteCacheMetricsAsync(string instance, CacheMetricRow row, CancellationToken cancellationToken)
    {
        await using var command = databases.Primary.CreateCommand(MonitoringSql.InsertCacheMetrics);
        var total = row.Hits + row.Misses;
        command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = instance });
        command.Parameters.Add(new NpgsqlParameter<DateTimeOffset> { TypedValue = Domain.Common.Clock.ToStoragePrecision(row.RecordedAt) });
        command.Parameters.Add(new NpgsqlParameter<int> { TypedValue = row.PeriodSeconds });
        command.Parameters.Add(new NpgsqlParameter<long> { TypedValue = row.Hits });
        command.Parameters.Add(new NpgsqlParameter<long> { TypedValue = row.Misses });
        command.Parameters.Add(new NpgsqlParameter { Value = total > 0 ? Math.Round((double)row.Hits / total, 4) : DBNull.Value, NpgsqlDbType = NpgsqlDbType.Double });
        foreach (var value in new[] { row.L1Entries, row.L1Hits, row.L1Misses, row.L2Hits, row.L2Misses, row.L2Errors, row.Invalidations })
        {
            command.Parameters.Add(new NpgsqlParameter<long> { TypedValue = value });
        }
        await command.ExecuteNonQueryProfiledAsync(databases.Profiler, DataSources.PrimaryName, cancellationToken);
    }

    public async Task<IReadOnlyList<string>> EnsurePartitionsAsync(DateOnly firstDay, int days, CancellationToken cancellationToken)
    {
        var created = new List<string>();
        foreach (var (name, key) in Tables.Values)
        {
            await using var command = databases.Primary.CreateCommand(MonitoringSql.EnsurePartitions);
            command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = name, NpgsqlDbType = NpgsqlDbType.Text });
            command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = key, NpgsqlDbType = NpgsqlDbType.Text });
            command.Parameters.Add(new NpgsqlParameter<DateOnly> { TypedValue = firstDay });
            command.Parameters.Add(new NpgsqlParameter<int> { TypedValue = days });
            if (await command.ExecuteScalarProfiledAsync(databases.Profiler, DataSources.PrimaryName, cancellationToken) is string[] names)
            {
                created.AddRange(names);
            }
        }
        return created;
    }

    public async Task<(IReadOnlyList<string> Dropped, long Rows)> DropPartitionsBeforeAsync(MonitoringTable table, DateTimeOffset before, bool onlyEmpty,
        CancellationToken cancellationToken)
    {
        var (name, key) = Tables[table];
        await using var connection = await databases.Primary.OpenConnectionAsync(cancellationToken);
        var expired = new List<string>();
        await using (var list = new NpgsqlCommand(MonitoringSql.Partitions, connection))
        {
            list.Parameters.Add(new NpgsqlParameter<string> { TypedValue = name, NpgsqlDbType = NpgsqlDbType.Text });
            await using var reader = await list.ExecuteReaderProfiledAsync(databases.Profiler, DataSources.PrimaryName, cancellationToken);
            while (await reader.ReadAsync(cancellationToken))
            {
                if (new DateTimeOffset(DateTime.SpecifyKind(reader.GetDateTime(1), DateTimeKind.Utc)) <= before)
                {
                    expired.Add(reader.GetString(0));
                }
            }
        }
        var dropped = new List<string>();
        long rows = 0;
        foreach (var partition in expired)
        {
            // Names come from the catalogue and match ^<table>_p[0-9]{8}$: safe to splice.
            await using var count = new NpgsqlCommand($"SELECT count(*) FROM operations.{partition}", connection);
            var inside = (long)(await count.ExecuteScalarProfiledAsync(databases.Profiler, DataSources.PrimaryName, cancellationToken))!;
            if (onlyEmpty && inside > 0)
            {
                continue;
            }
            await using var drop = new NpgsqlCommand($"ALTER TABLE operations.{name} DETACH PARTITION operations.{partition}; DROP TABLE operations.{partition}", connection);
            await drop.ExecuteNonQueryProfiledAsync(databases.Profiler, DataSources.PrimaryName, cancellationToken);
            dropped.Add(partition);
            rows += inside;
        }
        if (!onlyEmpty)
        {
            // Rows of a day that had no partition yet wait in the default one: those past the cut go too.
            await using var stray = new NpgsqlCommand($"DELETE FROM operations.{name}_default WHERE {key} < $1", connection);
            stray.Parameters.Add(new NpgsqlParameter<DateTimeOffset> { TypedValue = before });
            rows += await stray.ExecuteNonQueryProfiledAsync(databases.Profiler, DataSources.PrimaryName, cancellationToken);
        }
        return (dropped, rows);
    }
}
