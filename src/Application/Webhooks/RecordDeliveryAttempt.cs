using Mediator;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using RenderOwl.Application.Common.Abstractions;
using RenderOwl.Domain.Webhooks;

namespace RenderOwl.Application.Webhooks;

/// <summary>
/// Records what an attempt got back. 2xx: delivered. Otherwise retried after the schedule's next wait
/// (<see cref="WebhookRetryOptions"/>), or failed after the 8th; an endpoint failing for 3 days is disabled and its
/// owner notified. A stale report (another attempt began since) changes nothing.
/// </summary>
public sealed record RecordDeliveryAttemptCommand(Guid DeliveryId, int Attempt, WebhookAttemptResult Result) : ITransactionalCommand<Unit>;

public sealed class RecordDeliveryAttemptHandler(IAppDbContext db, IDeliveryLocks locks, IWebhookAttempts attempts, AfterCommit afterCommit,
    IOptions<WebhookRetryOptions> retry, IAccountNotices notices, TimeProvider clock) : ICommandHandler<RecordDeliveryAttemptCommand, Unit>
{
    public async ValueTask<Unit> Handle(RecordDeliveryAttemptCommand command, CancellationToken cancellationToken)
    {
        var delivery = await locks.LockAsync(command.DeliveryId, cancellationToken);
        if (delivery is null || delivery.Attempts != command.Attempt)
        {
            return Unit.Value;
        }
        var now = clock.GetUtcNow();
        var result = command.Result;
        var endpoint = delivery.EndpointId is { } id ? await db.WebhookEndpoints.FirstOrDefaultAsync(e => e.Id == id, cancellationToken) : null;
        if (result.Delivered)
        {
            delivery.Succeed(result.Status!.Value, result.Body, result.DurationMs, now);
            endpoint?.DeliverySucceeded();
        }
        else
        {
            var retryAt = now + retry.Value.After(delivery.Attempts, Random.Shared);
            if (delivery.Fail(result.Status, result.Body, result.DurationMs, retryAt) && endpoint is not null && endpoint.DeliveryFailed(delivery.CreatedAt, now))
            {
                await notices.NotifyAsync(endpoint.OwnerId, "webhook.disabled", "A webhook endpoint was disabled",
                    $"Every delivery to {endpoint.Url} failed for {WebhookEndpoint.DisableAfter.TotalDays:0} days; it is disabled until you enable it again.",
                    System.Text.Json.JsonSerializer.Serialize(new { webhook_id = endpoint.Id.ToString(), url = endpoint.Url }), now, cancellationToken);
            }
            if (delivery.Status == DeliveryStatus.Retrying && delivery.NextAttemptAt is { } at)
            {
                await afterCommit.RunAsync("schedule webhook retry", _ => { attempts.At(delivery.Id.Value, at); return Task.CompletedTask; }, cancellationToken);
            }
        }
        await db.SaveChangesAsync(cancellationToken);
        return Unit.Value;
    }
}
