using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using RenderOwl.Domain.Analytics;

namespace RenderOwl.Infrastructure.Persistence.Configurations.Analytics;

/// <summary>
/// <c>analytics.events</c> is partitioned by month (declarative partitioning), which EF's migrations cannot express:
/// the AnalyticsEvents migration creates it in SQL, and EF maps it without managing it. Its key includes the
/// partition key, as PostgreSQL requires.
/// </summary>
internal sealed class AnalyticsEventConfiguration : IEntityTypeConfiguration<AnalyticsEvent>
{
    public void Configure(EntityTypeBuilder<AnalyticsEvent> builder)
    {
        builder.ToTable("events", "analytics", t => t.ExcludeFromMigrations());
        builder.HasKey(e => new { e.OccurredAt, e.Id });
        builder.Property(e => e.Id).ValueGeneratedNever();
        builder.Property(e => e.Name).HasMaxLength(100);
        builder.Property(e => e.PropertiesJson).HasColumnName("properties").HasColumnType("jsonb");
    }
}
