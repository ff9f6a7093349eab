using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace RenderOwl.Infrastructure.Persistence.Migrations
{
    /// <inheritdoc />
    public partial class AccountExportsAndDeletion : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<DateTimeOffset>(
                name: "deletion_requested_at",
                schema: "identity",
                table: "users",
                type: "timestamp with time zone",
                nullable: true);

            migrationBuilder.CreateTable(
                name: "exports",
                schema: "identity",
                columns: table => new
                {
                    id = table.Column<Guid>(type: "uuid", nullable: false),
                    user_id = table.Column<Guid>(type: "uuid", nullable: false),
                    status = table.Column<string>(type: "character varying(16)", maxLength: 16, nullable: false),
                    created_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    started_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: true),
                    finished_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: true),
                    size_bytes = table.Column<long>(type: "bigint", nullable: true),
                    sha256 = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: true),
                    storage_key = table.Column<string>(type: "character varying(200)", maxLength: 200, nullable: true),
                    error = table.Column<string>(type: "character varying(500)", maxLength: 500, nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_exports", x => x.id);
                    table.ForeignKey(
                        name: "fk_exports_users_user_id",
                        column: x => x.user_id,
                        principalSchema: "identity",
                        principalTable: "users",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateTable(
                name: "file_deletions",
                schema: "operations",
                columns: table => new
                {
                    storage_key = table.Column<string>(type: "character varying(200)", maxLength: 200, nullable: false),
                    enqueued_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_file_deletions", x => x.storage_key);
                });

            migrationBuilder.CreateIndex(
                name: "ix_users_deletion_requested_at",
                schema: "identity",
                table: "users",
                column: "deletion_requested_at",
                filter: "deletion_requested_at IS NOT NULL");

            migrationBuilder.CreateIndex(
                name: "ix_exports_created_at",
                schema: "identity",
                table: "exports",
                column: "created_at");

            migrationBuilder.CreateIndex(
                name: "ix_exports_user_id",
                schema: "identity",
                table: "exports",
                column: "user_id",
                unique: true,
                filter: "status IN ('Queued', 'Running')");

            migrationBuilder.CreateIndex(
                name: "ix_exports_user_id_created_at",
                schema: "identity",
                table: "exports",
                columns: new[] { "user_id", "created_at" });

            migrationBuilder.CreateIndex(
                name: "ix_file_deletions_enqueued_at",
                schema: "operations",
                table: "file_deletions",
                column: "enqueued_at");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "exports",
                schema: "identity");

            migrationBuilder.DropTable(
                name: "file_deletions",
                schema: "operations");

            migrationBuilder.DropIndex(
                name: "ix_users_deletion_requested_at",
                schema: "identity",
                table: "users");

            migrationBuilder.DropColumn(
                name: "deletion_requested_at",
                schema: "identity",
                table: "users");
        }
    }
}
