using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using RenderOwl.Domain.Operations;

namespace RenderOwl.Infrastructure.Persistence.Configurations.Operations;

/// <summary>
/// <c>operations.error_logs</c> is partitioned by day, which EF's migrations cannot express: the MonitoringHistory
/// migration creates it in SQL, and EF maps it without managing it. Its key includes the partition key.
/// </summary>
internal sealed class ErrorLogConfiguration : IEntityTypeConfiguration<ErrorLog>
{
    public void Configure(EntityTypeBuilder<ErrorLog> builder)
    {
        builder.ToTable("error_logs", "operations", t => t.ExcludeFromMigrations());
        builder.HasKey(e => new { e.OccurredAt, e.Id });
        builder.Property(e => e.Id).ValueGeneratedNever();
        builder.Property(e => e.ProblemType).HasMaxLength(100);
        builder.Property(e => e.Title).HasMaxLength(200);
        builder.Property(e => e.Detail).HasMaxLength(ErrorLog.MaxText);
        builder.Property(e => e.Method).HasMaxLength(10);
        builder.Property(e => e.Route).HasMaxLength(300);
        builder.Property(e => e.Path).HasMaxLength(300);
        builder.Property(e => e.RequestId).HasMaxLength(100);
        builder.Property(e => e.TraceId).HasMaxLength(64);
        builder.Property(e => e.ExceptionType).HasMaxLength(300);
        builder.Property(e => e.ExceptionMessage).HasMaxLength(ErrorLog.MaxText);
        builder.Property(e => e.StackTrace).HasMaxLength(16_000);
        builder.Property(e => e.Instance).HasMaxLength(200);
    }
}
