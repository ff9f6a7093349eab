using Microsoft.Extensions.Options;
using RenderOwl.Application.Common;
using RenderOwl.Application.Common.Abstractions;

namespace RenderOwl.Application.Webhooks;

/// <summary>
/// Outbox messages dispatched more than <see cref="RetentionOptions.DispatchedOutboxDays"/> ago: once dispatched, each
/// delivery carries its own payload, so the message is only a record. Undispatched ones are never deleted.
/// </summary>
public sealed class OutboxRetention(IAppDbContext db, IOptions<RetentionOptions> options) : IRetentionPolicy
{
    public string Name => "webhook_outbox";

    public Task<int> ApplyAsync(DateTimeOffset now, CancellationToken cancellationToken)
    {
        var cutoff = now.AddDays(-options.Value.DispatchedOutboxDays);
        return Chunks.DeleteOldestAsync(db.OutboxMessages.Where(m => m.DispatchedAt != null && m.DispatchedAt < cutoff), m => m.DispatchedAt, cancellationToken);
    }
}
