using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using RenderOwl.Domain.Webhooks;

namespace RenderOwl.Infrastructure.Persistence.Configurations.Webhooks;

internal static class SecretColumns
{
    /// <summary>A <see cref="WebhookSecret"/> as three columns of its owner's row: the encrypted secret, the previous one, until when it signs.</summary>
    public static void Map<T>(OwnedNavigationBuilder<T, WebhookSecret> secret) where T : class
    {
        secret.Property(s => s.Current).HasColumnName("secret").HasMaxLength(1024);
        secret.Property(s => s.Previous).HasColumnName("previous_secret").HasMaxLength(1024);
        secret.Property(s => s.PreviousUntil).HasColumnName("previous_secret_until");
    }
}

internal sealed class WebhookEndpointConfiguration : IEntityTypeConfiguration<WebhookEndpoint>
{
    public void Configure(EntityTypeBuilder<WebhookEndpoint> builder)
    {
        builder.ToTable("endpoints", "webhooks");
        builder.HasKey(e => e.Id);
        builder.Property(e => e.Id).ValueGeneratedNever();
        builder.Property(e => e.Url).HasMaxLength(WebhookEndpoint.UrlMaxLength);
        builder.Property(e => e.Description).HasMaxLength(WebhookEndpoint.DescriptionMaxLength);
        builder.OwnsOne(e => e.Secret, SecretColumns.Map);
        builder.Navigation(e => e.Secret).IsRequired();
        builder.HasIndex(e => new { e.ProjectId, e.CreatedAt, e.Id });
        builder.HasIndex(e => e.OwnerId);
        // The endpoints disabled for failing, counted every few seconds for renderowl_webhook_endpoints_disabled: a
        // partial index holding only them, so the count never reads the table.
        builder.HasIndex(e => e.FailingSince, "ix_endpoints_disabled_for_failing").HasFilter("NOT enabled AND failing_since IS NOT NULL");
    }
}

internal sealed class AccountSigningSecretConfiguration : IEntityTypeConfiguration<AccountSigningSecret>
{
    public void Configure(EntityTypeBuilder<AccountSigningSecret> builder)
    {
        builder.ToTable("signing_secrets", "webhooks");
        builder.HasKey(s => s.OwnerId);
        builder.Property(s => s.OwnerId).ValueGeneratedNever();
        builder.OwnsOne(s => s.Secret, SecretColumns.Map);
        builder.Navigation(s => s.Secret).IsRequired();
    }
}

internal sealed class WebhookDeliveryConfiguration : IEntityTypeConfiguration<WebhookDelivery>
{
    public void Configure(EntityTypeBuilder<WebhookDelivery> builder)
    {
        builder.ToTable("deliveries", "webhooks");
        builder.HasKey(d => d.Id);
        builder.Property(d => d.Id).ValueGeneratedNever();
        builder.Property(d => d.EventType).HasMaxLength(64);
        builder.Property(d => d.Url).HasMaxLength(WebhookEndpoint.UrlMaxLength);
        builder.Property(d => d.PayloadJson).HasColumnName("payload");
        builder.Property(d => d.Status).HasConversion<string>().HasMaxLength(16);
        builder.Property(d => d.ResponseBody).HasMaxLength(WebhookDelivery.ResponseBodyMax);
        builder.HasIndex(d => new { d.EndpointId, d.CreatedAt, d.Id });
        builder.HasIndex(d => new { d.RenderId, d.CreatedAt, d.Id });
        // The due list the sweeper reads: only deliveries still on their way.
        builder.HasIndex(d => d.NextAttemptAt).HasDatabaseName("ix_deliveries_due").HasFilter("next_attempt_at IS NOT NULL");
        builder.HasIndex(d => d.CreatedAt); // retention
        builder.HasIndex(d => new { d.OwnerId, d.CreatedAt }); // an account's deliveries: its export and its deletion
    }
}
