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

    public void At(Guid deliveryId, DateTimeOffset when)
        => jobs.Schedule<WebhookAttemptJob>(j => j.RunAsync(deliveryId, CancellationToken.None), WholeSecondAtOrAfter(when));

    /// <summary>
    /// Hangfire keeps a schedule in whole seconds, cut down: a retry due at …:33.453 would be queued at …:33.000, found not
    /// yet due and dropped (left to the sweeper, a minute or more later). Rounded up, it is never queued before it is due.
    /// </summary>
    public static DateTimeOffset WholeSecondAtOrAfter(DateTimeOffset when)
    {
        var rest = when.UtcTicks % TimeSpan.TicksPerSecond;
        return rest == 0 ? when : when.AddTicks(TimeSpan.TicksPerSecond - rest);
    }
}
