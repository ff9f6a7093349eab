using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace RenderOwl.Infrastructure.Persistence.Migrations
{
    /// <inheritdoc />
    public partial class SegmentedRenders : Migration
    {
        // The claim of 20261123185458_DispatcherClaimFunction, with one change: a split render (segments IS NOT NULL) holds
        // no worker, so it does not count against its account's concurrency cap — its segments do.
        private const string ClaimFunction = """
            CREATE OR REPLACE FUNCTION rendering.claim_renders(p_worker text, p_lease_seconds double precision, p_max integer)
            RETURNS SETOF rendering.renders
            LANGUAGE plpgsql
            AS $fn$
            #variable_conflict use_column
            DECLARE
              v_skip uuid[] := '{}';      -- accounts left alone for the rest of this call: at their cap, or being claimed by another worker
              v_claimed integer := 0;
              v_progress boolean;
              v_top smallint;
              v_row rendering.renders%ROWTYPE;
              v_taken boolean;
              c record;
            BEGIN
              IF p_max < 1 THEN
                RETURN;
              END IF;
              -- A just-committed insert can leave a key-share lock on its row for an instant: wait it out, briefly.
              PERFORM set_config('lock_timeout', '1s', true);
              LOOP
                -- One pass: each account's best eligible render, at most one per account. After a claim at priority P
                -- the pass stops at the first lower-priority candidate, so the next pass can offer the same account's
                -- next render at P before anyone's lower-priority one.
                v_progress := false;
                v_top := NULL;
                FOR c IN
                  WITH RECURSIVE owners(owner_id) AS (
                    (SELECT r.owner_id FROM rendering.renders r WHERE r.status = 'Queued' ORDER BY r.owner_id LIMIT 1)
                    UNION ALL
                    SELECT (SELECT r.owner_id FROM rendering.renders r
                            WHERE r.status = 'Queued' AND r.owner_id > o.owner_id ORDER BY r.owner_id LIMIT 1)
                    FROM owners o WHERE o.owner_id IS NOT NULL
                  )
                  SELECT b.id, o.owner_id, b.priority, b.concurrency_cap
                  FROM owners o
                  CROSS JOIN LATERAL (
                    SELECT r.id, r.priority, r.queued_at, r.concurrency_cap FROM rendering.renders r
                    WHERE r.owner_id = o.owner_id AND r.status = 'Queued' AND r.next_attempt_at <= now()
                    ORDER BY r.priority DESC, r.queued_at, r.id
                    LIMIT 1) b
                  LEFT JOIN rendering.account_turns t ON t.owner_id = o.owner_id
                  WHERE o.owner_id IS NOT NULL
                    AND o.owner_id <> ALL (v_skip)
                    AND (SELECT count(*) FROM rendering.renders x WHERE x.owner_id = o.owner_id AND x.status = 'Rendering' AND x.segments IS NULL) < b.concurrency_cap
                  ORDER BY b.priority DESC, t.last_claimed_at NULLS FIRST, b.queued_at, b.id
                  LIMIT p_max - v_claimed
                LOOP
                  EXIT WHEN v_top IS NOT NULL AND c.priority < v_top;
                  -- The account's bookkeeping row, locked until commit: claims for one account happen one at a time.
                  INSERT INTO rendering.account_turns (owner_id, last_claimed_at) VALUES (c.owner_id, '-infinity')
                    ON CONFLICT (owner_id) DO NOTHING;
                  PERFORM 1 FROM rendering.account_turns WHERE owner_id = c.owner_id FOR UPDATE SKIP LOCKED;
                  IF NOT FOUND THEN
                    v_skip := v_skip || c.owner_id;
                    v_progress := true;
                    CONTINUE;
                  END IF;
                  IF (SELECT count(*) FROM rendering.renders WHERE owner_id = c.owner_id AND status = 'Rendering' AND segments IS NULL) >= c.concurrency_cap THEN
                    v_skip := v_skip || c.owner_id;
                    v_progress := true;
                    CONTINUE;
                  END IF;
                  -- Taken by UPDATE, not SKIP LOCKED: the recheck after a wait makes a render someone else took affect no row.
                  BEGIN
                    UPDATE rendering.renders
                    SET status = 'Rendering', attempts = attempts + 1, started_at = clock_timestamp(), progress = 0,
                        wait_ms = COALESCE(wait_ms, (extract(epoch FROM clock_timestamp() - queued_at) * 1000)::bigint),
                        lease_owner = p_worker, lease_expires_at = clock_timestamp() + make_interval(secs => p_lease_seconds)
                    WHERE id = c.id AND status = 'Queued'
                    RETURNING * INTO v_row;
                    v_taken := FOUND;
                  EXCEPTION WHEN lock_not_available THEN
                    v_taken := false; -- held by a long transaction: leave the account for the next call
                    v_skip := v_skip || c.owner_id;
                    v_progress := true;
                  END;
                  CONTINUE WHEN NOT v_taken;
                  UPDATE rendering.account_turns SET last_claimed_at = clock_timestamp() WHERE owner_id = c.owner_id;
                  INSERT INTO rendering.render_events (render_id, status, attempt, message, occurred_at)
                    VALUES (c.id, 'rendering', v_row.attempts, 'started', clock_timestamp());
                  v_claimed := v_claimed + 1;
                  v_progress := true;
                  v_top := c.priority;
                  RETURN NEXT v_row;
                END LOOP;
                EXIT WHEN NOT v_progress OR v_claimed >= p_max;
              END LOOP;
            END
            $fn$;
            """;

        private const string PreviousClaimFunction = """
            CREATE OR REPLACE FUNCTION rendering.claim_renders(p_worker text, p_lease_seconds double precision, p_max integer)
            RETURNS SETOF rendering.renders
            LANGUAGE plpgsql
            AS $fn$
            #variable_conflict use_column
            DECLARE
              v_skip uuid[] := '{}';      -- accounts left alone for the rest of this call: at their cap, or being claimed by another worker
              v_claimed integer := 0;
              v_progress boolean;
              v_top smallint;
              v_row rendering.renders%ROWTYPE;
              v_taken boolean;
              c record;
            BEGIN
              IF p_max < 1 THEN
                RETURN;
              END IF;
              -- A just-committed insert can leave a key-share lock on its row for an instant: wait it out, briefly.
              PERFORM set_config('lock_timeout', '1s', true);
              LOOP
                -- One pass: each account's best eligible render, at most one per account. After a claim at priority P
                -- the pass stops at the first lower-priority candidate, so the next pass can offer the same account's
                -- next render at P before anyone's lower-priority one.
                v_progress := false;
                v_top := NULL;
                FOR c IN
                  WITH RECURSIVE owners(owner_id) AS (
                    (SELECT r.owner_id FROM rendering.renders r WHERE r.status = 'Queued' ORDER BY r.owner_id LIMIT 1)
                    UNION ALL
                    SELECT (SELECT r.owner_id FROM rendering.renders r
                            WHERE r.status = 'Queued' AND r.owner_id > o.owner_id ORDER BY r.owner_id LIMIT 1)
                    FROM owners o WHERE o.owner_id IS NOT NULL
                  )
                  SELECT b.id, o.owner_id, b.priority, b.concurrency_cap
                  FROM owners o
                  CROSS JOIN LATERAL (
                    SELECT r.id, r.priority, r.queued_at, r.concurrency_cap FROM rendering.renders r
                    WHERE r.owner_id = o.owner_id AND r.status = 'Queued' AND r.next_attempt_at <= now()
                    ORDER BY r.priority DESC, r.queued_at, r.id
                    LIMIT 1) b
                  LEFT JOIN rendering.account_turns t ON t.owner_id = o.owner_id
                  WHERE o.owner_id IS NOT NULL
                    AND o.owner_id <> ALL (v_skip)
                    AND (SELECT count(*) FROM rendering.renders x WHERE x.owner_id = o.owner_id AND x.status = 'Rendering') < b.concurrency_cap
                  ORDER BY b.priority DESC, t.last_claimed_at NULLS FIRST, b.queued_at, b.id
                  LIMIT p_max - v_claimed
                LOOP
                  EXIT WHEN v_top IS NOT NULL AND c.priority < v_top;
                  -- The account's bookkeeping row, locked until commit: claims for one account happen one at a time.
                  INSERT INTO rendering.account_turns (owner_id, last_claimed_at) VALUES (c.owner_id, '-infinity')
                    ON CONFLICT (owner_id) DO NOTHING;
                  PERFORM 1 FROM rendering.account_turns WHERE owner_id = c.owner_id FOR UPDATE SKIP LOCKED;
                  IF NOT FOUND THEN
                    v_skip := v_skip || c.owner_id;
                    v_progress := true;
                    CONTINUE;
                  END IF;
                  IF (SELECT count(*) FROM rendering.renders WHERE owner_id = c.owner_id AND status = 'Rendering') >= c.concurrency_cap THEN
                    v_skip := v_skip || c.owner_id;
                    v_progress := true;
                    CONTINUE;
                  END IF;
                  -- Taken by UPDATE, not SKIP LOCKED: the recheck after a wait makes a render someone else took affect no row.
                  BEGIN
                    UPDATE rendering.renders
                    SET status = 'Rendering', attempts = attempts + 1, started_at = clock_timestamp(), progress = 0,
                        wait_ms = COALESCE(wait_ms, (extract(epoch FROM clock_timestamp() - queued_at) * 1000)::bigint),
                        lease_owner = p_worker, lease_expires_at = clock_timestamp() + make_interval(secs => p_lease_seconds)
                    WHERE id = c.id AND status = 'Queued'
                    RETURNING * INTO v_row;
                    v_taken := FOUND;
                  EXCEPTION WHEN lock_not_available THEN
                    v_taken := false; -- held by a long transaction: leave the account for the next call
                    v_skip := v_skip || c.owner_id;
                    v_progress := true;
                  END;
                  CONTINUE WHEN NOT v_taken;
                  UPDATE rendering.account_turns SET last_claimed_at = clock_timestamp() WHERE owner_id = c.owner_id;
                  INSERT INTO rendering.render_events (render_id, status, attempt, message, occurred_at)
                    VALUES (c.id, 'rendering', v_row.attempts, 'started', clock_timestamp());
                  v_claimed := v_claimed + 1;
                  v_progress := true;
                  v_top := c.priority;
                  RETURN NEXT v_row;
                END LOOP;
                EXIT WHEN NOT v_progress OR v_claimed >= p_max;
              END LOOP;
            END
            $fn$;
            """;

        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<Guid>(
                name: "parent_id",
                schema: "rendering",
                table: "renders",
                type: "uuid",
                nullable: true);

            migrationBuilder.AddColumn<int>(
                name: "segment_index",
                schema: "rendering",
                table: "renders",
                type: "integer",
                nullable: true);

            migrationBuilder.AddColumn<int>(
                name: "segments",
                schema: "rendering",
                table: "renders",
                type: "integer",
                nullable: true);

            migrationBuilder.CreateIndex(
                name: "ix_renders_parent",
                schema: "rendering",
                table: "renders",
                column: "parent_id",
                filter: "parent_id IS NOT NULL");

            migrationBuilder.Sql(ClaimFunction);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.Sql(PreviousClaimFunction);

            migrationBuilder.DropIndex(
                name: "ix_renders_parent",
                schema: "rendering",
                table: "renders");

            migrationBuilder.DropColumn(
                name: "parent_id",
                schema: "rendering",
                table: "renders");

            migrationBuilder.DropColumn(
                name: "segment_index",
                schema: "rendering",
                table: "renders");

            migrationBuilder.DropColumn(
                name: "segments",
                schema: "rendering",
                table: "renders");
        }
    }
}
