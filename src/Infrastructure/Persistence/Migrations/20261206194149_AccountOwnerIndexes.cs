using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace RenderOwl.Infrastructure.Persistence.Migrations
{
    /// <inheritdoc />
    public partial class AccountOwnerIndexes : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateIndex(
                name: "ix_outbox_owner_id_created_at",
                schema: "webhooks",
                table: "outbox",
                columns: new[] { "owner_id", "created_at" });

            migrationBuilder.CreateIndex(
                name: "ix_deliveries_owner_id_created_at",
                schema: "webhooks",
                table: "deliveries",
                columns: new[] { "owner_id", "created_at" });
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "ix_outbox_owner_id_created_at",
                schema: "webhooks",
                table: "outbox");

            migrationBuilder.DropIndex(
                name: "ix_deliveries_owner_id_created_at",
                schema: "webhooks",
                table: "deliveries");
        }
    }
}
