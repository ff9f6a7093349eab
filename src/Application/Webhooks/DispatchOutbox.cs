using Mediator;
using Microsoft.EntityFrameworkCore;
using RenderOwl.Application.Common.Abstractions;
using RenderOwl.Domain.Webhooks;

namespace RenderOwl.Application.Webhooks;

/// <summary>
/// Turns undispatched outbox rows into deliveries — the render's own <c>webhook_url</c> and every enabled endpoint of the
/// project that subscribes — in the transaction that marks the rows dispatched; their first attempts start after the
/// commit. Returns how many rows it took (a full batch means: run again).
/// </summary>
public sealed record DispatchOutboxCommand(int Max = 100) : ITransactionalCommand<int>;

public sealed class DispatchOutboxHandler(IAppDbContext db, IDeliveryLocks locks, IWebhookAttempts attempts, AfterCommit afterCommit, TimeProvider clock)
    : ICommandHandler<DispatchOutboxCommand, int>
{
    public async ValueTask<int> Handle(DispatchOutboxCommand command, CancellationToken cancellationToken)
    {
        var messages = await locks.ClaimOutboxAsync(command.Max, cancellationToken);
        if (messages.Count == 0)
        {
            return 0;
        }
        var now = clock.GetUtcNow();
        var projects = messages.Select(m => m.ProjectId).OfType<Domain.Common.ProjectId>().Distinct().ToList();
        var endpoints = await db.WebhookEndpoints.AsNoTracking().Where(e => projects.Contains(e.ProjectId) && e.Enabled).ToListAsync(cancellationToken);
        var deliveries = new List<WebhookDelivery>();
        foreach (var message in messages)
        {
            var body = WebhookPayload.Body(message.Id, message.Type, message.CreatedAt, message.PayloadJson);
            var render = WebhookPayload.RenderOf(message.PayloadJson);
            if (message.TargetUrl is { } url)
            {
                deliveries.Add(WebhookDelivery.Create(message.Id, message.Type, message.OwnerId, message.ProjectId, render, null, url, body, now));
            }
            deliveries.AddRange(endpoints.Where(e => e.ProjectId == message.ProjectId && e.OwnerId == message.OwnerId && e.Subscribes(message.Type))
                .Select(e => WebhookDelivery.Create(message.Id, message.Type, message.OwnerId, message.ProjectId, render, e.Id, e.Url, body, now)));
            message.MarkDispatched(now);
        }
        db.WebhookDeliveries.AddRange(deliveries);
        await db.SaveChangesAsync(cancellationToken);
        var ids = deliveries.Select(d => d.Id.Value).ToList();
        await afterCommit.RunAsync("start webhook deliveries", _ => { attempts.Now(ids); return Task.CompletedTask; }, cancellationToken);
        return messages.Count;
    }
}
