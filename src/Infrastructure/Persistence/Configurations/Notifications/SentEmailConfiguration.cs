using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using RenderOwl.Domain.Notifications;

namespace RenderOwl.Infrastructure.Persistence.Configurations.Notifications;

internal sealed class SentEmailConfiguration : IEntityTypeConfiguration<SentEmail>
{
    public void Configure(EntityTypeBuilder<SentEmail> builder)
    {
        builder.ToTable("sent_emails", "notifications");
        builder.HasKey(e => e.MessageId);
        builder.Property(e => e.MessageId).HasMaxLength(200);
        builder.HasIndex(e => e.SentAt); // retention
    }
}
