using Mediator;
using Microsoft.Extensions.Logging;
using RenderOwl.Application.Common.Abstractions;

namespace RenderOwl.Application.Operations.Monitoring;

/// <summary>
/// Daily: the history tables' partitions from yesterday to <see cref="MaintainMonitoringPartitionsHandler.DaysAhead"/> days ahead (rows that landed in a
/// default partition meanwhile are moved into theirs). Dropping old ones is retention's (<see cref="MonitoringRetention"/>).
/// </summary>
public sealed record MaintainMonitoringPartitionsCommand : ICommand<IReadOnlyList<string>>;

public sealed class MaintainMonitoringPartitionsHandler(IMonitoringStore store, TimeProvider clock, ILogger<MaintainMonitoringPartitionsHandler> logger)
    : ICommandHandler<MaintainMonitoringPartitionsCommand, IReadOnlyList<string>>
{
    public const int DaysAhead = 3;

    public async ValueTask<IReadOnlyList<string>> Handle(MaintainMonitoringPartitionsCommand command, CancellationToken cancellationToken)
    {
        var today = DateOnly.FromDateTime(clock.GetUtcNow().UtcDateTime);
        var created = await store.EnsurePartitionsAsync(today.AddDays(-1), DaysAhead + 2, cancellationToken);
        if (created.Count > 0)
        {
            logger.LogInformation("Monitoring partitions created: {Created}", string.Join(", ", created));
        }
        return created;
    }
}
