using System.Diagnostics;
using Hangfire;
using Mediator;
using RenderOwl.Application.Common.Abstractions;
using RenderOwl.Application.Webhooks;
using RenderOwl.Infrastructure.Observability;

namespace RenderOwl.Infrastructure.Webhooks;

/// <summary>
/// One delivery attempt, as a Hangfire job on the <c>webhooks</c> queue: begin (under the row lock), POST, record. The
/// retry schedule is the delivery's own (<see cref="WebhookRetryOptions"/>), so Hangfire's automatic retry is off;
/// a job that never ran, or died mid-attempt, is started again by the sweeper.
/// </summary>
public sealed class WebhookAttemptJob(ISender sender, IWebhookTransport transport)
{
    [AutomaticRetry(Attempts = 0)]
    [Queue("webhooks")]
    public async Task RunAsync(Guid deliveryId, CancellationToken cancellationToken)
    {
        if (await sender.Send(new BeginDeliveryAttemptCommand(deliveryId), cancellationToken) is not { } attempt)
        {
            return;
        }
        using var span = RenderOwlTracing.Source.StartActivity("webhook.attempt", ActivityKind.Internal, RenderOwlTracing.ParentOf(attempt.TraceParent));
        span?.SetTag("webhook.delivery.id", deliveryId.ToString());
        span?.SetTag("webhook.attempt", attempt.Attempt);
        var result = await transport.PostAsync(attempt.Url, attempt.Body, attempt.Headers, cancellationToken);
        span?.SetTag("http.response.status_code", result.Status);
        RenderOwlMetrics.WebhookAttempts.Add(1, new KeyValuePair<string, object?>("outcome", result.Delivered ? "delivered" : "failed"));
        if (!result.Delivered)
        {
            RenderOwlTracing.Fail(span, result.Status is { } status ? $"status {status}" : "no response");
        }
        await sender.Send(new RecordDeliveryAttemptCommand(deliveryId, attempt.Attempt, result), CancellationToken.None);
    }
}
