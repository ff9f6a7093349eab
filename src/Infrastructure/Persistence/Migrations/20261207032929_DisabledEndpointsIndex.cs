using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace RenderOwl.Infrastructure.Persistence.Migrations
{
    /// <inheritdoc />
    public partial class DisabledEndpointsIndex : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateIndex(
                name: "ix_endpoints_failing_since",
                schema: "webhooks",
                table: "endpoints",
                column: "failing_since",
                filter: "NOT enabled AND failing_since IS NOT NULL");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "ix_endpoints_failing_since",
                schema: "webhooks",
                table: "endpoints");
        }
    }
}
