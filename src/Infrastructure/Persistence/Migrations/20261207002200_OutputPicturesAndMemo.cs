using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace RenderOwl.Infrastructure.Persistence.Migrations
{
    /// <inheritdoc />
    public partial class OutputPicturesAndMemo : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<bool>(
                name: "cached",
                schema: "rendering",
                table: "renders",
                type: "boolean",
                nullable: false,
                defaultValue: false);

            migrationBuilder.AddColumn<bool>(
                name: "counted",
                schema: "rendering",
                table: "renders",
                type: "boolean",
                nullable: false,
                defaultValue: true);

            migrationBuilder.AddColumn<string>(
                name: "memo_key",
                schema: "rendering",
                table: "renders",
                type: "character varying(64)",
                maxLength: 64,
                nullable: true);

            migrationBuilder.CreateIndex(
                name: "ix_renders_memo",
                schema: "rendering",
                table: "renders",
                columns: new[] { "owner_id", "memo_key" },
                filter: "status = 'Succeeded' AND memo_key IS NOT NULL");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "ix_renders_memo",
                schema: "rendering",
                table: "renders");

            migrationBuilder.DropColumn(
                name: "cached",
                schema: "rendering",
                table: "renders");

            migrationBuilder.DropColumn(
                name: "counted",
                schema: "rendering",
                table: "renders");

            migrationBuilder.DropColumn(
                name: "memo_key",
                schema: "rendering",
                table: "renders");
        }
    }
}
