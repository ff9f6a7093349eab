namespace RenderOwl.Infrastructure.Persistence.Maintenance;

/// <summary>The catalogue and check queries of the maintenance commands (<c>make db-stats</c>, <c>db-integrity</c>, <c>db-optimize</c>).</summary>
internal static class MaintenanceSql
{
    private const string ProductTables = """
        c.relkind IN ('r', 'p') AND n.nspname NOT IN ('pg_catalog', 'information_schema') AND n.nspname NOT LIKE 'pg_toast%'
        """;

    /// <summary>Every table and partition, largest first: estimated rows, table and index bytes, live and dead tuples, last vacuum.</summary>
    public const string Tables = $"""
        SELECT n.nspname || '.' || c.relname, GREATEST(c.reltuples, 0)::bigint, pg_table_size(c.oid), pg_indexes_size(c.oid),
               COALESCE(s.n_live_tup, 0), COALESCE(s.n_dead_tup, 0), GREATEST(s.last_vacuum, s.last_autovacuum)
        FROM pg_class c
        JOIN pg_namespace n ON n.oid = c.relnamespace
        LEFT JOIN pg_stat_user_tables s ON s.relid = c.oid
        WHERE {ProductTables}
        ORDER BY pg_total_relation_size(c.oid) DESC, 1
        """;

    /// <summary>The 20 largest indexes with how often each was scanned (an unused large one is a candidate to drop).</summary>
    public const string Indexes = """
        SELECT s.schemaname || '.' || s.indexrelname, s.schemaname || '.' || s.relname, pg_relation_size(s.indexrelid), s.idx_scan
        FROM pg_stat_user_indexes s
        ORDER BY pg_relation_size(s.indexrelid) DESC, 1
        LIMIT 20
        """;

    public const string Database = """
        SELECT pg_database_size(current_database()),
               (SELECT count(*) FROM pg_stat_activity WHERE datname = current_database()),
               (SELECT CASE WHEN blks_hit + blks_read = 0 THEN NULL ELSE blks_hit::float8 / (blks_hit + blks_read) END
                FROM pg_stat_database WHERE datname = current_database())
        """;

    /// <summary>The oldest open transaction of any session but this one: its age in seconds, state and first 100 characters of the statement.</summary>
    public const string OldestTransaction = """
        SELECT pid, EXTRACT(EPOCH FROM now() - xact_start)::float8, COALESCE(state, ''), left(regexp_replace(query, '\s+', ' ', 'g'), 100)
        FROM pg_stat_activity
        WHERE xact_start IS NOT NULL AND pid <> pg_backend_pid()
        ORDER BY xact_start
        LIMIT 1
        """;

    /// <summary>Tables to vacuum: every table that is not a partition (vacuuming a partitioned table covers its partitions).</summary>
    public const string VacuumTargets = $"""
        SELECT quote_ident(n.nspname) || '.' || quote_ident(c.relname)
        FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
        WHERE {ProductTables} AND NOT c.relispartition
        ORDER BY 1
        """;

    public const string CreateAmcheck = "CREATE EXTENSION IF NOT EXISTS amcheck";

    /// <summary>Every B-tree index of a table (partitions' own indexes included, partitioned parents' excluded).</summary>
    public const string BtreeIndexes = """
        SELECT i.oid, n.nspname || '.' || i.relname
        FROM pg_index x
        JOIN pg_class i ON i.oid = x.indexrelid
        JOIN pg_namespace n ON n.oid = i.relnamespace
        JOIN pg_am a ON a.oid = i.relam
        WHERE a.amname = 'btree' AND i.relkind = 'i' AND n.nspname NOT IN ('pg_catalog', 'information_schema') AND n.nspname NOT LIKE 'pg_toast%'
        ORDER BY 2
        """;

    public const string BtreeCheck = "SELECT bt_index_check(@index)";

    /// <summary>Declared foreign keys (single- or multi-column) with the column lists to check them by.</summary>
    public const string ForeignKeys = """
        SELECT con.conname, con.conrelid::regclass::text, con.confrelid::regclass::text, con.convalidated,
               ARRAY(SELECT quote_ident(a.attname) FROM unnest(con.conkey) WITH ORDINALITY k(n, o) JOIN pg_attribute a ON a.attrelid = con.conrelid AND a.attnum = k.n ORDER BY k.o),
               ARRAY(SELECT quote_ident(a.attname) FROM unnest(con.confkey) WITH ORDINALITY k(n, o) JOIN pg_attribute a ON a.attrelid = con.confrelid AND a.attnum = k.n ORDER BY k.o)
        FROM pg_constraint con
        JOIN pg_namespace n ON n.oid = con.connamespace
        WHERE con.contype = 'f' AND n.nspname NOT IN ('pg_catalog', 'information_schema')
        ORDER BY 1
        """;

    /// <summary>References between modules that are not declared foreign keys (modules own their tables): every account-owned row's owner must exist.</summary>
    public static readonly (string Table, string Column)[] OwnerReferences =
    [
        ("identity.exports", "user_id"), ("projects.projects", "owner_id"), ("assets.assets", "owner_id"), ("templates.templates", "owner_id"),
        ("rendering.renders", "owner_id"), ("webhooks.endpoints", "owner_id"), ("webhooks.deliveries", "owner_id"), ("webhooks.outbox", "owner_id"),
        ("webhooks.signing_secrets", "owner_id"), ("notifications.notifications", "user_id"), ("analytics.events", "owner_id"),
    ];

    /// <summary>What a render's status promises about its other columns; each query returns the ids that break it.</summary>
    public static readonly (string Rule, string Where)[] RenderInvariants =
    [
        ("a succeeded render has an output, progress 100 and a finish time", "status = 'Succeeded' AND (output IS NULL OR progress <> 100 OR finished_at IS NULL)"),
        ("a failed render has an error code and a finish time", "status = 'Failed' AND (error_code IS NULL OR finished_at IS NULL)"),
        ("a canceled render has a finish time", "status = 'Canceled' AND finished_at IS NULL"),
        ("a queued or rendering render has no finish time and no output", "status IN ('Queued', 'Rendering') AND (finished_at IS NOT NULL OR output IS NOT NULL)"),
        ("a rendering render has a lease and a start time", "status = 'Rendering' AND (lease_owner IS NULL OR lease_expires_at IS NULL OR started_at IS NULL)"),
        ("progress is between 0 and 100", "progress NOT BETWEEN 0 AND 100"),
        ("an expired output belongs to a succeeded render", "output_expired_at IS NOT NULL AND (status <> 'Succeeded' OR output IS NULL)"),
        ("the status is one the code knows", "status NOT IN ('Queued', 'Rendering', 'Succeeded', 'Failed', 'Canceled')"),
    ];
}
