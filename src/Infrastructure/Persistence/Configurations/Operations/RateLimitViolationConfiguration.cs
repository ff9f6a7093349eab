using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using RenderOwl.Domain.Operations;

namespace RenderOwl.Infrastructure.Persistence.Configurations.Operations;

internal sealed class RateLimitViolationConfiguration : IEntityTypeConfiguration<RateLimitViolation>
{
    public void Configure(EntityTypeBuilder<RateLimitViolation> builder)
    {
        builder.ToTable("rate_limit_violations", "operations");
        builder.HasKey(v => v.Id);
        builder.Property(v => v.Id).ValueGeneratedNever();
        builder.Property(v => v.Principal).HasMaxLength(100);
        builder.Property(v => v.Policy).HasMaxLength(50);
        builder.Property(v => v.Method).HasMaxLength(10);
        builder.Property(v => v.Path).HasMaxLength(300);
        builder.Property(v => v.IpAddress).HasMaxLength(64);
        builder.HasIndex(v => new { v.OccurredAt, v.Id }).IsDescending(true, true);
        builder.HasIndex(v => new { v.Principal, v.OccurredAt });
    }
}
