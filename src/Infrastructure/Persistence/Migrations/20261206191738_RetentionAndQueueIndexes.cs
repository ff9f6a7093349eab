using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace RenderOwl.Infrastructure.Persistence.Migrations
{
    /// <inheritdoc />
    public partial class RetentionAndQueueIndexes : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateIndex(
                name: "ix_renders_open",
                schema: "rendering",
                table: "renders",
                columns: new[] { "status", "priority" },
                filter: "status IN ('Queued', 'Rendering')");

            migrationBuilder.CreateIndex(
                name: "ix_refresh_tokens_live_family",
                schema: "identity",
                table: "refresh_tokens",
                columns: new[] { "family_id", "expires_at" },
                filter: "revoked_at IS NULL");

            migrationBuilder.CreateIndex(
                name: "ix_refresh_tokens_revoked_at",
                schema: "identity",
                table: "refresh_tokens",
                column: "revoked_at",
                filter: "revoked_at IS NOT NULL");

            migrationBuilder.CreateIndex(
                name: "ix_outbox_dispatched_at",
                schema: "webhooks",
                table: "outbox",
                column: "dispatched_at",
                filter: "dispatched_at IS NOT NULL");

            // Plans for SSD storage (ADR 18): random reads cost about as much as sequential ones, so a chunk of a
            // retention delete or an index probe per row is not traded for a read of the whole table. The database's
            // default for new sessions; a role without the right to change it keeps the server's (a notice, no failure).
            migrationBuilder.Sql("""
DO $do$
BEGIN
    EXECUTE format('ALTER DATABASE %I SET random_page_cost = 1.1', current_database());
EXCEPTION WHEN insufficient_privilege THEN
    RAISE NOTICE 'random_page_cost left as it is: this role may not alter the database';
END
$do$;
""");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.Sql("""
DO $do$
BEGIN
    EXECUTE format('ALTER DATABASE %I RESET random_page_cost', current_database());
EXCEPTION WHEN insufficient_privilege THEN
    NULL;
END
$do$;
""");

            migrationBuilder.DropIndex(
                name: "ix_renders_open",
                schema: "rendering",
                table: "renders");

            migrationBuilder.DropIndex(
                name: "ix_refresh_tokens_live_family",
                schema: "identity",
                table: "refresh_tokens");

            migrationBuilder.DropIndex(
                name: "ix_refresh_tokens_revoked_at",
                schema: "identity",
                table: "refresh_tokens");

            migrationBuilder.DropIndex(
                name: "ix_outbox_dispatched_at",
                schema: "webhooks",
                table: "outbox");
        }
    }
}
