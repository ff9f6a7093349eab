using Hangfire;
using RenderOwl.Application.Common.Abstractions;

namespace RenderOwl.Infrastructure.Webhooks;

/// <summary>Delivery attempts as Hangfire jobs on the <c>webhooks</c> queue: now, or scheduled for a retry.</summary>
public sealed class HangfireWebhookAttempts(IBackgroundJobClient jobs) : IWebhookAttempts
{
    public void Now(IEnumerable<Guid> deliveryIds)
    {
        foreach (var id in deliveryIds)
        {
            jobs.Enqueue<WebhookAttemptJob>(j => j.RunAsync(id, CancellationToken.None));
        }
    }

    public void At(Guid deliveryId, DateTimeOffset when) => jobs.Schedule<WebhookAttemptJob>(j => j.RunAsync(deliveryId, CancellationToken.None), when);
}
