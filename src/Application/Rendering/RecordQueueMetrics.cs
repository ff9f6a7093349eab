using Mediator;
using RenderOwl.Application.Common.Abstractions;

namespace RenderOwl.Application.Rendering;

/// <summary>
/// Every minute (one instance, a Hangfire recurring job): each queue's depth, in flight, last hour's outcomes and mean
/// wait and run into <c>operations.queue_metrics</c>, plus a <c>renders</c> row with every render queue's totals and
/// the wait and run percentiles — the figures of <c>GET /internal/queues</c>, kept as history.
/// </summary>
public sealed record RecordQueueMetricsCommand : ICommand<int>;

public sealed class RecordQueueMetricsHandler(ISender sender, IMonitoringStore store, TimeProvider clock) : ICommandHandler<RecordQueueMetricsCommand, int>
{
    public async ValueTask<int> Handle(RecordQueueMetricsCommand command, CancellationToken cancellationToken)
    {
        var now = clock.GetUtcNow();
        var figures = await sender.Send(new GetQueueFiguresQuery(), cancellationToken);
        var rows = figures.Queues
            .Select(q => new QueueMetricRow(q.Name, q.Depth, q.InFlight, q.Failed, q.Succeeded, q.MeanWaitMs, q.MeanRunMs))
            .Prepend(new QueueMetricRow("renders", figures.QueuedByPriority.Values.Sum(), figures.Running, figures.FailedLastHour, figures.SucceededLastHour,
                null, null, figures.WaitP50Ms, figures.WaitP95Ms, figures.RunP50Ms, figures.RunP95Ms))
            .ToList();
        await store.WriteQueueMetricsAsync(now, rows, cancellationToken);
        return rows.Count;
    }
}
