using System.Text.Json;
using Mediator;
using RenderOwl.Application.Common.Abstractions;
using RenderOwl.Domain.Common;
using RenderOwl.Domain.Webhooks;

namespace RenderOwl.Application.Webhooks;

/// <summary>A <c>webhook.test</c> event to this endpoint now, delivered (and logged) like any other (202).</summary>
public sealed record TestWebhookCommand(WebhookId Id) : ITransactionalCommand<Unit>;

public sealed class TestWebhookHandler(IAppDbContext db, ICurrentUser current, IWebhookAttempts attempts, AfterCommit afterCommit, TimeProvider clock)
    : ICommandHandler<TestWebhookCommand, Unit>
{
    public async ValueTask<Unit> Handle(TestWebhookCommand command, CancellationToken cancellationToken)
    {
        var endpoint = await db.FindOwnedAsync(command.Id, current.Id, cancellationToken);
        var now = clock.GetUtcNow();
        var eventId = TypedId.New<EventId>(now);
        var body = WebhookPayload.Body(eventId, WebhookEvents.Test, Clock.ToStoragePrecision(now),
            JsonSerializer.Serialize(new { webhook_id = endpoint.Id.ToString() }));
        var delivery = WebhookDelivery.Create(eventId, WebhookEvents.Test, endpoint.OwnerId, endpoint.ProjectId, null, endpoint.Id, endpoint.Url, body, now);
        db.WebhookDeliveries.Add(delivery);
        await db.SaveChangesAsync(cancellationToken);
        await afterCommit.RunAsync("send test webhook", _ => { attempts.Now([delivery.Id.Value]); return Task.CompletedTask; }, cancellationToken);
        return Unit.Value;
    }
}
