using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using RenderOwl.Domain.Operations;

namespace RenderOwl.Infrastructure.Persistence.Configurations.Operations;

internal sealed class FileDeletionConfiguration : IEntityTypeConfiguration<FileDeletion>
{
    public void Configure(EntityTypeBuilder<FileDeletion> builder)
    {
        builder.ToTable("file_deletions", "operations");
        builder.HasKey(f => f.StorageKey);
        builder.Property(f => f.StorageKey).HasMaxLength(200);
        builder.HasIndex(f => f.EnqueuedAt);
    }
}
