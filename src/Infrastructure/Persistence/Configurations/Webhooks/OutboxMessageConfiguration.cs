using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using RenderOwl.Domain.Webhooks;

namespace RenderOwl.Infrastructure.Persistence.Configurations.Webhooks;

internal sealed class OutboxMessageConfiguration : IEntityTypeConfiguration<OutboxMessage>
{
    public void Configure(EntityTypeBuilder<OutboxMessage> builder)
    {
        builder.ToTable("outbox", "webhooks");
        builder.HasKey(m => m.Id);
        builder.Property(m => m.Id).ValueGeneratedNever();
        builder.Property(m => m.Type).HasMaxLength(64);
        builder.Property(m => m.TargetUrl).HasMaxLength(2048);
        builder.Property(m => m.PayloadJson).HasColumnName("payload").HasColumnType("jsonb");
        builder.HasIndex(m => m.CreatedAt).HasDatabaseName("ix_outbox_pending").HasFilter("dispatched_at IS NULL");
        builder.HasIndex(m => m.DispatchedAt).HasDatabaseName("ix_outbox_dispatched_at").HasFilter("dispatched_at IS NOT NULL");
        builder.HasIndex(m => new { m.OwnerId, m.CreatedAt }); // an account's messages: its export and its deletion
    }
}
