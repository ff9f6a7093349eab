namespace RenderOwl.Infrastructure.Analytics;

/// <summary>The analytics module's SQL: ingest, roll-up, usage, partitions (the tables: the AnalyticsEvents migration).</summary>
internal static class AnalyticsSql
{
    public const string Copy = "COPY analytics.events (id, owner_id, project_id, name, occurred_at, received_at, properties) FROM STDIN (FORMAT BINARY)";

    /// <summary>
    /// $1 the hour. Recomputes every (owner, project) row of that hour from the events: an upsert of totals, so running
    /// it again gives the same figures. Render figures come from RenderOwl's own <c>render.*</c> events (a client cannot
    /// send that prefix); <c>events</c> counts the client's.
    /// </summary>
    public const string RollUpHour = """
        INSERT INTO analytics.hourly AS h (owner_id, project_id, bucket, renders_submitted, renders_succeeded, renders_failed,
                                           render_seconds, output_bytes, events, updated_at)
        SELECT e.owner_id, e.project_id, $1,
               count(*) FILTER (WHERE e.name = 'render.submitted'),
               count(*) FILTER (WHERE e.name = 'render.succeeded'),
               count(*) FILTER (WHERE e.name = 'render.failed'),
               coalesce(sum((e.properties ->> 'render_seconds')::float8) FILTER (WHERE e.name = 'render.succeeded'), 0),
               coalesce(sum((e.properties ->> 'output_bytes')::bigint) FILTER (WHERE e.name = 'render.succeeded'), 0),
               count(*) FILTER (WHERE e.name NOT LIKE 'render.%'),
               now()
        FROM analytics.events e
        WHERE e.occurred_at >= $1 AND e.occurred_at < $1 + interval '1 hour'
        GROUP BY e.owner_id, e.project_id
        ON CONFLICT (owner_id, project_id, bucket) DO UPDATE SET
            renders_submitted = EXCLUDED.renders_submitted, renders_succeeded = EXCLUDED.renders_succeeded,
            renders_failed = EXCLUDED.renders_failed, render_seconds = EXCLUDED.render_seconds,
            output_bytes = EXCLUDED.output_bytes, events = EXCLUDED.events, updated_at = EXCLUDED.updated_at
        """;

    /// <summary>$1 owner, $2 project or null, $3 from, $4 to, $5 'hour' or 'day': every UTC bucket from the one holding $3 to the one holding $4.</summary>
    public const string Usage = """
        SELECT b.t AT TIME ZONE 'UTC',
               coalesce(sum(h.renders_submitted), 0)::bigint, coalesce(sum(h.renders_succeeded), 0)::bigint,
               coalesce(sum(h.renders_failed), 0)::bigint, coalesce(sum(h.render_seconds), 0)::float8,
               coalesce(sum(h.output_bytes), 0)::bigint, coalesce(sum(h.events), 0)::bigint
        FROM generate_series(date_trunc($5, $3 AT TIME ZONE 'UTC'), $4 AT TIME ZONE 'UTC', ('1 ' || $5)::interval) AS b(t)
        LEFT JOIN analytics.hourly h
               ON h.owner_id = $1 AND ($2::uuid IS NULL OR h.project_id = $2)
              AND h.bucket >= b.t AT TIME ZONE 'UTC' AND h.bucket < (b.t + ('1 ' || $5)::interval) AT TIME ZONE 'UTC'
        GROUP BY b.t
        ORDER BY b.t
        """;

    /// <summary>$1 owner: up to 1,000 of the account's roll-up rows (account deletion).</summary>
    public const string DeleteOwnerHours = """
        DELETE FROM analytics.hourly WHERE ctid = ANY (ARRAY(SELECT ctid FROM analytics.hourly WHERE owner_id = $1 LIMIT 1000))
        """;

    /// <summary>$1 first month, $2 how many: creates the missing monthly partitions, returns the names it made.</summary>
    public const string EnsurePartitions = "SELECT analytics.ensure_event_partitions($1::date, $2)";

    /// <summary>The monthly partitions and the first day of the month after each (its upper bound).</summary>
    public const string Partitions = """
        SELECT c.relname, make_date(substr(c.relname, 9, 4)::int, substr(c.relname, 14, 2)::int, 1) + interval '1 month'
        FROM pg_inherits i
        JOIN pg_class c ON c.oid = i.inhrelid
        JOIN pg_class p ON p.oid = i.inhparent
        JOIN pg_namespace n ON n.oid = p.relnamespace
        WHERE n.nspname = 'analytics' AND p.relname = 'events' AND c.relname ~ '^events_y[0-9]{4}m[0-9]{2}$'
        ORDER BY c.relname
        """;
}
