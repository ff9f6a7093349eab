using Mediator;
using RenderOwl.Application.Common.Abstractions;

namespace RenderOwl.Application.Operations.Performance;

/// <summary>Which routes <c>GET /internal/performance/*</c> lists.</summary>
public enum RouteSelection
{
    /// <summary>Every route seen in the window, busiest first (<c>/routes</c>).</summary>
    All,

    /// <summary>The ten with the highest p95 (<c>/slow-routes</c>).</summary>
    Slowest,

    /// <summary>Those with server errors, highest error rate first (<c>/error-routes</c>).</summary>
    Failing,
}

/// <summary>Admin: this instance's per-route figures over the sliding window.</summary>
public sealed record GetRoutePerformanceQuery(RouteSelection Selection) : IQuery<RoutePerformanceReport>;

public sealed class GetRoutePerformanceHandler(IPerformanceMonitor monitor) : IQueryHandler<GetRoutePerformanceQuery, RoutePerformanceReport>
{
    public const int SlowestCount = 10;

    public ValueTask<RoutePerformanceReport> Handle(GetRoutePerformanceQuery query, CancellationToken cancellationToken)
    {
        var report = monitor.Routes();
        IReadOnlyList<RoutePerformance> items = query.Selection switch
        {
            RouteSelection.Slowest => [.. report.Items.OrderByDescending(r => r.P95Ms).ThenBy(r => r.Route, StringComparer.Ordinal).Take(SlowestCount)],
            RouteSelection.Failing => [.. report.Items.Where(r => r.Errors > 0).OrderByDescending(r => r.ErrorRate).ThenByDescending(r => r.Errors)],
            _ => report.Items,
        };
        return ValueTask.FromResult(report with { Items = items });
    }
}
