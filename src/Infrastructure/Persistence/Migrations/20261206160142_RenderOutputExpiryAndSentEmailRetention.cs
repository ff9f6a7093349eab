using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace RenderOwl.Infrastructure.Persistence.Migrations
{
    /// <inheritdoc />
    public partial class RenderOutputExpiryAndSentEmailRetention : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<DateTimeOffset>(
                name: "output_expired_at",
                schema: "rendering",
                table: "renders",
                type: "timestamp with time zone",
                nullable: true);

            migrationBuilder.CreateIndex(
                name: "ix_sent_emails_sent_at",
                schema: "notifications",
                table: "sent_emails",
                column: "sent_at");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "ix_sent_emails_sent_at",
                schema: "notifications",
                table: "sent_emails");

            migrationBuilder.DropColumn(
                name: "output_expired_at",
                schema: "rendering",
                table: "renders");
        }
    }
}
