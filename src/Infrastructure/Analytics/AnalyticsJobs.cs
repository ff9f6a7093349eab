using Hangfire;
using Mediator;
using RenderOwl.Application.Analytics;

namespace RenderOwl.Infrastructure.Analytics;

/// <summary>Every minute: the current and the previous hour of <c>analytics.hourly</c> recomputed from the events.</summary>
public sealed class RollUpUsageJob(ISender sender)
{
    [AutomaticRetry(Attempts = 0)]
    [DisableConcurrentExecution(60)]
    public async Task<int> RunAsync(CancellationToken cancellationToken) => await sender.Send(new RollUpUsageCommand(), cancellationToken);
}

/// <summary>Daily: monthly partitions of <c>analytics.events</c> made ahead, and those past retention dropped.</summary>
public sealed class AnalyticsPartitionsJob(ISender sender)
{
    [AutomaticRetry(Attempts = 3)]
    [DisableConcurrentExecution(300)]
    public async Task RunAsync(CancellationToken cancellationToken) => await sender.Send(new MaintainAnalyticsPartitionsCommand(), cancellationToken);
}
