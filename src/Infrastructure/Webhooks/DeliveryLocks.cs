using Microsoft.EntityFrameworkCore;
using RenderOwl.Application.Common.Abstractions;
using RenderOwl.Domain.Webhooks;
using RenderOwl.Infrastructure.Persistence;

namespace RenderOwl.Infrastructure.Webhooks;

public sealed class DeliveryLocks(AppDbContext db) : IDeliveryLocks
{
    public Task<WebhookDelivery?> LockAsync(Guid deliveryId, CancellationToken cancellationToken)
        => db.WebhookDeliveries.FromSql($"SELECT * FROM webhooks.deliveries WHERE id = {deliveryId} FOR UPDATE").FirstOrDefaultAsync(cancellationToken);

    public async Task<IReadOnlyList<OutboxMessage>> ClaimOutboxAsync(int max, CancellationToken cancellationToken)
        => await db.OutboxMessages
            .FromSql($"SELECT * FROM webhooks.outbox WHERE dispatched_at IS NULL ORDER BY created_at LIMIT {max} FOR UPDATE SKIP LOCKED")
            .ToListAsync(cancellationToken);
}
