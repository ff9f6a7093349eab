using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace RenderOwl.Infrastructure.Persistence.Migrations
{
    /// <inheritdoc />
    public partial class MonitoringHistory : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            // Daily partitions, which EF cannot express: the schema is SQL (ADR 17), and EF maps error_logs without
            // managing it (ErrorLogConfiguration); the metrics tables are written and read by MonitoringSql only.
            migrationBuilder.Sql("""
CREATE SCHEMA IF NOT EXISTS operations;

CREATE TABLE operations.queue_metrics (
    recorded_at timestamp with time zone NOT NULL,
    queue character varying(50) NOT NULL,
    depth integer NOT NULL,
    in_flight integer NOT NULL,
    failed_last_hour integer NULL,
    succeeded_last_hour integer NULL,
    mean_wait_ms double precision NULL,
    mean_run_ms double precision NULL,
    wait_p50_ms double precision NULL,
    wait_p95_ms double precision NULL,
    run_p50_ms double precision NULL,
    run_p95_ms double precision NULL,
    CONSTRAINT pk_queue_metrics PRIMARY KEY (recorded_at, queue)
) PARTITION BY RANGE (recorded_at);
CREATE INDEX ix_queue_metrics_queue_recorded_at ON operations.queue_metrics (queue, recorded_at);

CREATE TABLE operations.api_metrics (
    recorded_at timestamp with time zone NOT NULL,
    instance character varying(200) NOT NULL,
    route character varying(300) NOT NULL,
    period_seconds integer NOT NULL,
    requests bigint NOT NULL,
    errors bigint NOT NULL,
    p50_ms double precision NOT NULL,
    p95_ms double precision NOT NULL,
    p99_ms double precision NOT NULL,
    max_ms double precision NOT NULL,
    CONSTRAINT pk_api_metrics PRIMARY KEY (recorded_at, instance, route)
) PARTITION BY RANGE (recorded_at);
CREATE INDEX ix_api_metrics_route_recorded_at ON operations.api_metrics (route, recorded_at);

CREATE TABLE operations.cache_metrics (
    recorded_at timestamp with time zone NOT NULL,
    instance character varying(200) NOT NULL,
    period_seconds integer NOT NULL,
    hits bigint NOT NULL,
    misses bigint NOT NULL,
    hit_ratio double precision NULL,
    l1_entries bigint NOT NULL,
    l1_hits bigint NOT NULL,
    l1_misses bigint NOT NULL,
    l2_hits bigint NOT NULL,
    l2_misses bigint NOT NULL,
    l2_errors bigint NOT NULL,
    invalidations bigint NOT NULL,
    CONSTRAINT pk_cache_metrics PRIMARY KEY (recorded_at, instance)
) PARTITION BY RANGE (recorded_at);

CREATE TABLE operations.error_logs (
    id uuid NOT NULL,
    occurred_at timestamp with time zone NOT NULL,
    status integer NOT NULL,
    problem_type character varying(100) NOT NULL,
    title character varying(200) NOT NULL,
    detail character varying(2000) NULL,
    method character varying(10) NOT NULL,
    route character varying(300) NULL,
    path character varying(300) NOT NULL,
    request_id character varying(100) NULL,
    trace_id character varying(64) NULL,
    user_id uuid NULL,
    exception_type character varying(300) NULL,
    exception_message character varying(2000) NULL,
    stack_trace character varying(16000) NULL,
    instance character varying(200) NOT NULL,
    resolved boolean NOT NULL DEFAULT false,
    resolved_at timestamp with time zone NULL,
    CONSTRAINT pk_error_logs PRIMARY KEY (occurred_at, id)
) PARTITION BY RANGE (occurred_at);
CREATE INDEX ix_error_logs_resolved_occurred_at_id ON operations.error_logs (resolved, occurred_at DESC, id DESC);
CREATE INDEX ix_error_logs_user_id ON operations.error_logs (user_id) WHERE user_id IS NOT NULL;

-- Rows outside every daily partition land here instead of failing the write; ensure_daily_partitions moves them out.
CREATE TABLE operations.queue_metrics_default PARTITION OF operations.queue_metrics DEFAULT;
CREATE TABLE operations.api_metrics_default PARTITION OF operations.api_metrics DEFAULT;
CREATE TABLE operations.cache_metrics_default PARTITION OF operations.cache_metrics DEFAULT;
CREATE TABLE operations.error_logs_default PARTITION OF operations.error_logs DEFAULT;

-- Creates the daily partitions <parent>_pYYYYMMDD of operations.<parent> (range on column `key`) for `days` days
-- from `first_day`; rows of such a day waiting in the default partition are moved into it. Returns the names made.
CREATE FUNCTION operations.ensure_daily_partitions(parent text, key text, first_day date, days int) RETURNS text[]
LANGUAGE plpgsql AS $fn$
DECLARE
    d date;
    part text;
    lo timestamptz;
    hi timestamptz;
    made text[] := '{}';
BEGIN
    FOR i IN 0 .. days - 1 LOOP
        d := first_day + i;
        part := format('%s_p%s', parent, to_char(d, 'YYYYMMDD'));
        IF to_regclass('operations.' || part) IS NULL THEN
            lo := d::timestamp AT TIME ZONE 'UTC';
            hi := (d + 1)::timestamp AT TIME ZONE 'UTC';
            EXECUTE format('CREATE TABLE operations.%I (LIKE operations.%I INCLUDING DEFAULTS)', part, parent);
            EXECUTE format('WITH moved AS (DELETE FROM operations.%I WHERE %I >= %L AND %I < %L RETURNING *) INSERT INTO operations.%I SELECT * FROM moved',
                parent || '_default', key, lo, key, hi, part);
            EXECUTE format('ALTER TABLE operations.%I ADD CONSTRAINT %I CHECK (%I >= %L AND %I < %L)', part, part || '_range', key, lo, key, hi);
            EXECUTE format('ALTER TABLE operations.%I ATTACH PARTITION operations.%I FOR VALUES FROM (%L) TO (%L)', parent, part, lo, hi);
            EXECUTE format('ALTER TABLE operations.%I DROP CONSTRAINT %I', part, part || '_range');
            made := made || part;
        END IF;
    END LOOP;
    RETURN made;
END
$fn$;

-- Yesterday to three days ahead; the daily monitoring-partitions job keeps them coming.
SELECT operations.ensure_daily_partitions(t.parent, t.key, (now() AT TIME ZONE 'UTC')::date - 1, 5)
FROM (VALUES ('queue_metrics', 'recorded_at'), ('api_metrics', 'recorded_at'), ('cache_metrics', 'recorded_at'), ('error_logs', 'occurred_at')) AS t(parent, key);
""");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.Sql("""
DROP TABLE operations.queue_metrics;
DROP TABLE operations.api_metrics;
DROP TABLE operations.cache_metrics;
DROP TABLE operations.error_logs;
DROP FUNCTION operations.ensure_daily_partitions(text, text, date, int);
""");
        }
    }
}
