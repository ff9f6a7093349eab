using Microsoft.AspNetCore.Mvc;
using RenderOwl.Application.Analytics;
using RenderOwl.Application.Common;
using RenderOwl.Application.Common.Abstractions;
using RenderOwl.Domain.Common;

namespace RenderOwl.Api.Controllers;

/// <summary>Your own events in, your usage out (renders and events per hour or day).</summary>
[Route("v1/analytics")]
public sealed class AnalyticsController : ApiControllerBase
{
    public sealed record IngestEventsRequest(IReadOnlyList<EventInput>? Events);

    /// <summary>Up to 500 events (<c>name</c> 1-100 of <c>[a-z0-9_.]</c>, not starting <c>render.</c>; <c>occurred_at</c> within the last 30 days; <c>properties</c> an object ≤ 8 KiB; <c>project_id</c> optional) written in one bulk COPY.</summary>
    [HttpPost("events")]
    [ProducesResponseType<IngestEventsResult>(StatusCodes.Status202Accepted)]
    public async Task<IActionResult> Ingest(IngestEventsRequest request, CancellationToken ct)
        => StatusCode(StatusCodes.Status202Accepted, await Sender.Send(new IngestEventsCommand(request.Events), ct));

    /// <summary>Per UTC hour or day, every bucket from <c>from</c> to <c>to</c> (default: the last 24 h; at most 366 days), from the hourly roll-up (at most a minute behind).</summary>
    [HttpGet("usage")]
    [ProducesResponseType<ItemList<UsageBucket>>(StatusCodes.Status200OK)]
    public async Task<ItemList<UsageBucket>> Usage([FromQuery] DateTimeOffset? from, [FromQuery] DateTimeOffset? to, [FromQuery] string? granularity,
        [FromQuery(Name = "project_id")] ProjectId? projectId, CancellationToken ct)
        => await Sender.Send(new GetUsageQuery(from, to, granularity, projectId), ct);
}
