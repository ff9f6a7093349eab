using RenderOwl.Domain.Webhooks;

namespace RenderOwl.Application.Common.Abstractions;

/// <summary>Webhook rows read under a row lock until the transaction ends: one attempt at a time per delivery, one fan-out per outbox row.</summary>
public interface IDeliveryLocks
{
    Task<WebhookDelivery?> LockAsync(Guid deliveryId, CancellationToken cancellationToken);
    /// <summary>Up to <paramref name="max"/> undispatched outbox rows no other worker holds (<c>FOR UPDATE SKIP LOCKED</c>), oldest first.</summary>
    Task<IReadOnlyList<OutboxMessage>> ClaimOutboxAsync(int max, CancellationToken cancellationToken);
}
