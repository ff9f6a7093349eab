using Mediator;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using RenderOwl.Application.Common.Abstractions;

namespace RenderOwl.Application.Analytics;

public sealed class AnalyticsOptions
{
    public const string Section = "Analytics";

    /// <summary>Monthly partitions of <c>analytics.events</c> kept ready ahead of the current month.</summary>
    [System.ComponentModel.DataAnnotations.Range(1, 24)]
    public int PartitionsAheadMonths { get; set; } = 3;

    /// <summary>Events are kept this many months; older partitions are detached and dropped whole.</summary>
    [System.ComponentModel.DataAnnotations.Range(1, 120)]
    public int RetentionMonths { get; set; } = 13;
}

/// <summary>Daily: creates the partitions of the coming months and drops those past retention (never row by row).</summary>
public sealed record MaintainAnalyticsPartitionsCommand : ICommand<(IReadOnlyList<string> Created, IReadOnlyList<string> Dropped)>;

public sealed class MaintainAnalyticsPartitionsHandler(IAnalyticsStore store, IOptions<AnalyticsOptions> options, TimeProvider clock,
    ILogger<MaintainAnalyticsPartitionsHandler> logger) : ICommandHandler<MaintainAnalyticsPartitionsCommand, (IReadOnlyList<string> Created, IReadOnlyList<string> Dropped)>
{
    public async ValueTask<(IReadOnlyList<string> Created, IReadOnlyList<string> Dropped)> Handle(MaintainAnalyticsPartitionsCommand command, CancellationToken cancellationToken)
    {
        var now = clock.GetUtcNow();
        var thisMonth = new DateTimeOffset(now.Year, now.Month, 1, 0, 0, 0, TimeSpan.Zero);
        var result = await store.MaintainPartitionsAsync(now, options.Value.PartitionsAheadMonths, thisMonth.AddMonths(-options.Value.RetentionMonths), cancellationToken);
        if (result.Created.Count > 0 || result.Dropped.Count > 0)
        {
            logger.LogInformation("Analytics partitions: created {Created}, dropped {Dropped}", string.Join(", ", result.Created), string.Join(", ", result.Dropped));
        }
        return result;
    }
}
