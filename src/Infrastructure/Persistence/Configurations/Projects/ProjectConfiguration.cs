using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using RenderOwl.Domain.Projects;

namespace RenderOwl.Infrastructure.Persistence.Configurations.Projects;

internal sealed class ProjectConfiguration : IEntityTypeConfiguration<Project>
{
    public void Configure(EntityTypeBuilder<Project> builder)
    {
        builder.ToTable("projects", "projects");
        builder.HasKey(p => p.Id);
        builder.Property(p => p.Id).ValueGeneratedNever();
        builder.Property(p => p.Name).HasMaxLength(Project.NameMaxLength);
        builder.Property(p => p.Description).HasMaxLength(Project.DescriptionMaxLength);
        // Newest-first listing per owner, offset and keyset alike.
        builder.HasIndex(p => new { p.OwnerId, p.CreatedAt, p.Id }).IsDescending(false, true, true);
        // The owner lives in the identity module: referenced by id only, no navigation across modules.
        builder.Property<uint>("xmin").IsRowVersion();
    }
}
