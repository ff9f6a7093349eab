using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using RenderOwl.Api.Auth;
using RenderOwl.Application.Common.Abstractions;
using RenderOwl.Application.Operations.Performance;

namespace RenderOwl.Api.Controllers;

/// <summary>Operator endpoints: this instance's per-route figures over a sliding window and the process's own figures (admin only).</summary>
[Route("internal/performance")]
[Authorize(Policy = Policies.Admin)]
public sealed class InternalPerformanceController : ApiControllerBase
{
    /// <summary>Every route seen in the window (default 15 min): count, 5xx errors, error rate, p50/p95/p99/max in ms; busiest first.</summary>
    [HttpGet("routes")]
    [ProducesResponseType<RoutePerformanceReport>(StatusCodes.Status200OK)]
    public async Task<RoutePerformanceReport> Routes(CancellationToken ct) => await Sender.Send(new GetRoutePerformanceQuery(RouteSelection.All), ct);

    /// <summary>The ten routes with the highest p95 in the window.</summary>
    [HttpGet("slow-routes")]
    [ProducesResponseType<RoutePerformanceReport>(StatusCodes.Status200OK)]
    public async Task<RoutePerformanceReport> SlowRoutes(CancellationToken ct) => await Sender.Send(new GetRoutePerformanceQuery(RouteSelection.Slowest), ct);

    /// <summary>Routes with server errors (5xx) in the window, highest error rate first; <c>flagged</c> once over 10 % of 100+ requests.</summary>
    [HttpGet("error-routes")]
    [ProducesResponseType<RoutePerformanceReport>(StatusCodes.Status200OK)]
    public async Task<RoutePerformanceReport> ErrorRoutes(CancellationToken ct) => await Sender.Send(new GetRoutePerformanceQuery(RouteSelection.Failing), ct);

    /// <summary>Uptime, request rate, CPU (since the previous look), memory, GC counts and pause share, thread pool.</summary>
    [HttpGet("system")]
    [ProducesResponseType<SystemFigures>(StatusCodes.Status200OK)]
    public async Task<SystemFigures> SystemFigures(CancellationToken ct) => await Sender.Send(new GetSystemFiguresQuery(), ct);
}
