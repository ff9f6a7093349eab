namespace RenderOwl.Infrastructure.Monitoring;

/// <summary>The operational history tables' SQL (the tables and their daily partitions: the MonitoringHistory migration).</summary>
internal static class MonitoringSql
{
    /// <summary>$1 recorded_at, then one array per column: one row per queue.</summary>
    public const string InsertQueueMetrics = """
        INSERT INTO operations.queue_metrics (recorded_at, queue, depth, in_flight, failed_last_hour, succeeded_last_hour, mean_wait_ms, mean_run_ms,
                                              wait_p50_ms, wait_p95_ms, run_p50_ms, run_p95_ms)
        SELECT $1, * FROM unnest($2::text[], $3::int[], $4::int[], $5::int[], $6::int[], $7::float8[], $8::float8[], $9::float8[], $10::float8[], $11::float8[], $12::float8[])
        ON CONFLICT DO NOTHING
        """;

    /// <summary>$1 instance, then one array per column: one row per route and period.</summary>
    public const string InsertApiMetrics = """
        INSERT INTO operations.api_metrics (instance, recorded_at, route, period_seconds, requests, errors, p50_ms, p95_ms, p99_ms, max_ms)
        SELECT $1, * FROM unnest($2::timestamptz[], $3::text[], $4::int[], $5::int8[], $6::int8[], $7::float8[], $8::float8[], $9::float8[], $10::float8[])
        ON CONFLICT DO NOTHING
        """;

    public const string InsertCacheMetrics = """
        INSERT INTO operations.cache_metrics (instance, recorded_at, period_seconds, hits, misses, hit_ratio, l1_entries, l1_hits, l1_misses,
                                              l2_hits, l2_misses, l2_errors, invalidations)
        VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13)
        ON CONFLICT DO NOTHING
        """;

    /// <summary>$1 table, $2 its partition key column, $3 first day, $4 how many days: returns the partitions made.</summary>
    public const string EnsurePartitions = "SELECT operations.ensure_daily_partitions($1, $2, $3::date, $4)";

    /// <summary>$1 table: its daily partitions and the day after each (the upper bound).</summary>
    public const string Partitions = """
        SELECT c.relname, to_date(right(c.relname, 8), 'YYYYMMDD') + 1
        FROM pg_inherits i
        JOIN pg_class c ON c.oid = i.inhrelid
        JOIN pg_class p ON p.oid = i.inhparent
        JOIN pg_namespace n ON n.oid = p.relnamespace
        WHERE n.nspname = 'operations' AND p.relname = $1 AND c.relname ~ ('^' || $1 || '_p[0-9]{8}$')
        ORDER BY c.relname
        """;
}
