namespace RenderOwl.Infrastructure.Observability;

/// <summary>The catalogue queries of <c>GET /internal/db/stats</c>.</summary>
internal static class DatabaseStatsSql
{
    /// <summary>RenderOwl's tables (not the catalogues), largest first: estimated rows, total and index bytes.</summary>
    public const string Tables = """
        SELECT n.nspname || '.' || c.relname,
               GREATEST(c.reltuples, 0)::bigint,
               pg_total_relation_size(c.oid),
               pg_indexes_size(c.oid)
        FROM pg_class c
        JOIN pg_namespace n ON n.oid = c.relnamespace
        WHERE c.relkind IN ('r', 'p')
          AND n.nspname NOT IN ('pg_catalog', 'information_schema', 'pg_toast')
          AND NOT c.relispartition
        ORDER BY pg_total_relation_size(c.oid) DESC, 1
        LIMIT 200
        """;

    /// <summary>Share of block reads served from shared buffers in this database (null before any read).</summary>
    public const string CacheHitRatio = """
        SELECT CASE WHEN blks_hit + blks_read = 0 THEN NULL ELSE blks_hit::float8 / (blks_hit + blks_read) END
        FROM pg_stat_database WHERE datname = current_database()
        """;

    public const string HasPgStatStatements = "SELECT EXISTS (SELECT 1 FROM pg_extension WHERE extname = 'pg_stat_statements')";

    /// <summary>This database's top 20 statements by total execution time (PostgreSQL 13+ column names).</summary>
    public const string TopStatements = """
        SELECT s.query, s.calls, s.total_exec_time, s.mean_exec_time, s.rows
        FROM pg_stat_statements s
        JOIN pg_database d ON d.oid = s.dbid
        WHERE d.datname = current_database()
        ORDER BY s.total_exec_time DESC
        LIMIT 20
        """;
}
