using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using RenderOwl.Domain.Templates;

namespace RenderOwl.Infrastructure.Persistence.Configurations.Templates;

internal sealed class TemplateConfiguration : IEntityTypeConfiguration<Template>
{
    public void Configure(EntityTypeBuilder<Template> builder)
    {
        builder.ToTable("templates", "templates");
        builder.HasKey(t => t.Id);
        builder.Property(t => t.Id).ValueGeneratedNever();
        builder.Property(t => t.Name).HasMaxLength(Template.NameMaxLength);
        builder.Property(t => t.Description).HasMaxLength(2000);
        builder.Property(t => t.CompositionJson).HasColumnName("composition").HasColumnType("jsonb");
        builder.OwnsMany(t => t.Variables, v => v.ToJson("variables"));
        builder.HasIndex(t => new { t.OwnerId, t.CreatedAt, t.Id }).IsDescending(false, true, true);
    }
}
