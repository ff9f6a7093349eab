using Microsoft.Extensions.Options;
using RenderOwl.Application.Common;
using RenderOwl.Application.Common.Abstractions;
using RenderOwl.Domain.Webhooks;

namespace RenderOwl.Application.Webhooks;

/// <summary>Finished webhook deliveries (delivered or failed for good) older than <see cref="RetentionOptions.WebhookDeliveriesDays"/>.</summary>
public sealed class DeliveryRetention(IAppDbContext db, IOptions<RetentionOptions> options) : IRetentionPolicy
{
    public string Name => "webhook_deliveries";

    public Task<int> ApplyAsync(DateTimeOffset now, CancellationToken cancellationToken)
    {
        var cutoff = now.AddDays(-options.Value.WebhookDeliveriesDays);
        return Chunks.DeleteOldestAsync(db.WebhookDeliveries
            .Where(d => d.CreatedAt < cutoff && d.Status != DeliveryStatus.Pending && d.Status != DeliveryStatus.Retrying), d => d.CreatedAt, cancellationToken);
    }
}
