using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace RenderOwl.Infrastructure.Persistence.Migrations
{
    /// <inheritdoc />
    public partial class AssetSourceValidators : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<string>(
                name: "source_etag",
                schema: "assets",
                table: "assets",
                type: "character varying(256)",
                maxLength: 256,
                nullable: true);

            migrationBuilder.AddColumn<DateTimeOffset>(
                name: "source_last_modified",
                schema: "assets",
                table: "assets",
                type: "timestamp with time zone",
                nullable: true);

            migrationBuilder.CreateIndex(
                name: "ix_assets_source",
                schema: "assets",
                table: "assets",
                columns: new[] { "owner_id", "source_url", "created_at" },
                descending: new[] { false, false, true },
                filter: "source_url IS NOT NULL");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "ix_assets_source",
                schema: "assets",
                table: "assets");

            migrationBuilder.DropColumn(
                name: "source_etag",
                schema: "assets",
                table: "assets");

            migrationBuilder.DropColumn(
                name: "source_last_modified",
                schema: "assets",
                table: "assets");
        }
    }
}
