using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace RenderOwl.Infrastructure.Persistence.Migrations
{
    /// <inheritdoc />
    public partial class AnalyticsEvents : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            // analytics.events is partitioned by month, which EF cannot express: the schema is SQL (ADR 14), and EF maps
            // the table without managing it (AnalyticsEventConfiguration).
            migrationBuilder.Sql("""
CREATE SCHEMA IF NOT EXISTS analytics;

CREATE TABLE analytics.events (
    id uuid NOT NULL,
    owner_id uuid NOT NULL,
    project_id uuid NULL,
    name character varying(100) NOT NULL,
    occurred_at timestamp with time zone NOT NULL,
    received_at timestamp with time zone NOT NULL,
    properties jsonb NOT NULL DEFAULT '{}',
    CONSTRAINT pk_events PRIMARY KEY (occurred_at, id)
) PARTITION BY RANGE (occurred_at);

CREATE INDEX ix_events_owner_id_occurred_at ON analytics.events (owner_id, occurred_at);

-- Rows outside every monthly partition land here instead of failing the write; the daily job keeps it empty.
CREATE TABLE analytics.events_default PARTITION OF analytics.events DEFAULT;

-- Creates the monthly partitions events_yYYYYmMM for `months` months from `first_month`; returns the names it made.
CREATE FUNCTION analytics.ensure_event_partitions(first_month date, months int) RETURNS text[]
LANGUAGE plpgsql AS $fn$
DECLARE
    m date;
    part text;
    made text[] := '{}';
BEGIN
    FOR i IN 0 .. months - 1 LOOP
        m := (date_trunc('month', first_month) + make_interval(months => i))::date;
        part := format('events_y%sm%s', to_char(m, 'YYYY'), to_char(m, 'MM'));
        IF to_regclass('analytics.' || part) IS NULL THEN
            EXECUTE format('CREATE TABLE analytics.%I PARTITION OF analytics.events FOR VALUES FROM (%L) TO (%L)',
                part, m::timestamp AT TIME ZONE 'UTC', (m + interval '1 month')::timestamp AT TIME ZONE 'UTC');
            made := made || part;
        END IF;
    END LOOP;
    RETURN made;
END
$fn$;

-- The month before this one (events may be 30 days old) to three months ahead.
SELECT analytics.ensure_event_partitions((date_trunc('month', now() AT TIME ZONE 'UTC') - interval '1 month')::date, 5);

CREATE TABLE analytics.hourly (
    owner_id uuid NOT NULL,
    project_id uuid NULL,
    bucket timestamp with time zone NOT NULL,
    renders_submitted integer NOT NULL,
    renders_succeeded integer NOT NULL,
    renders_failed integer NOT NULL,
    render_seconds double precision NOT NULL,
    output_bytes bigint NOT NULL,
    events bigint NOT NULL,
    updated_at timestamp with time zone NOT NULL,
    CONSTRAINT ux_hourly_owner_project_bucket UNIQUE NULLS NOT DISTINCT (owner_id, project_id, bucket)
);

CREATE INDEX ix_hourly_owner_id_bucket ON analytics.hourly (owner_id, bucket);
""");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.Sql("DROP SCHEMA analytics CASCADE;");
        }
    }
}
