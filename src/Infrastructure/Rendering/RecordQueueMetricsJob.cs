using Hangfire;
using Mediator;
using RenderOwl.Application.Rendering;

namespace RenderOwl.Infrastructure.Rendering;

/// <summary>Every minute (one instance): the queues' figures into <c>operations.queue_metrics</c>.</summary>
public sealed class RecordQueueMetricsJob(ISender sender)
{
    [AutomaticRetry(Attempts = 0)]
    [DisableConcurrentExecution(60)]
    public async Task<int> RunAsync(CancellationToken cancellationToken) => await sender.Send(new RecordQueueMetricsCommand(), cancellationToken);
}
