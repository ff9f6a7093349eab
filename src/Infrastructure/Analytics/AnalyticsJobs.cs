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

/// <summary>Given hours of the roll-up recomputed, for events that arrived after their hour was last done.</summary>
public sealed class RollUpHoursJob(Application.Common.Abstractions.IAnalyticsStore store)
{
    [AutomaticRetry(Attempts = 3)]
    public async Task RunAsync(DateTimeOffset[] hours, CancellationToken cancellationToken)
    {
        foreach (var hour in hours)
        {
            await store.RollUpHourAsync(hour, cancellationToken);
        }
    }
}

/// <summary>Enqueues <see cref="RollUpHoursJob"/> (Hangfire, default queue).</summary>
public sealed class HangfireUsageRollUps(IBackgroundJobClient jobs) : Application.Common.Abstractions.IUsageRollUps
{
    public void Schedule(IReadOnlyCollection<DateTimeOffset> hours)
    {
        var list = hours.ToArray();
        jobs.Enqueue<RollUpHoursJob>(job => job.RunAsync(list, CancellationToken.None));
    }
}
