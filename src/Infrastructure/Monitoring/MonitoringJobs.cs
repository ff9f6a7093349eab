using Hangfire;
using Mediator;
using RenderOwl.Application.Operations.Monitoring;

namespace RenderOwl.Infrastructure.Monitoring;

/// <summary>Daily: the history tables' daily partitions made ahead.</summary>
public sealed class MonitoringPartitionsJob(ISender sender)
{
    [AutomaticRetry(Attempts = 3)]
    [DisableConcurrentExecution(300)]
    public async Task RunAsync(CancellationToken cancellationToken) => await sender.Send(new MaintainMonitoringPartitionsCommand(), cancellationToken);
}
