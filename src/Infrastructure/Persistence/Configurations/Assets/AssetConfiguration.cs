using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using RenderOwl.Domain.Assets;

namespace RenderOwl.Infrastructure.Persistence.Configurations.Assets;

internal sealed class AssetConfiguration : IEntityTypeConfiguration<Asset>
{
    public void Configure(EntityTypeBuilder<Asset> builder)
    {
        builder.ToTable("assets", "assets");
        builder.HasKey(a => a.Id);
        builder.Property(a => a.Id).ValueGeneratedNever();
        builder.Property(a => a.Kind).HasConversion<string>().HasMaxLength(8);
        builder.Property(a => a.ContentType).HasMaxLength(64);
        builder.Property(a => a.Sha256).HasMaxLength(64);
        builder.Property(a => a.StorageKey).HasMaxLength(200);
        builder.Property(a => a.OriginalName).HasMaxLength(255);
        builder.Property(a => a.SourceUrl).HasMaxLength(2048);
        builder.Property(a => a.SourceEtag).HasMaxLength(Asset.MaxSourceEtagLength);
        builder.Property(a => a.FontFamily).HasMaxLength(128);
        builder.HasIndex(a => new { a.ProjectId, a.CreatedAt, a.Id }).IsDescending(false, true, true);
        builder.HasIndex(a => a.OwnerId);
        // Sources by URL: an account's imports of a URL, newest first (URLs are at most 2,048 characters: within a b-tree entry).
        builder.HasIndex(a => new { a.OwnerId, a.SourceUrl, a.CreatedAt }).HasDatabaseName("ix_assets_source").HasFilter("source_url IS NOT NULL")
            .IsDescending(false, false, true);
    }
}
