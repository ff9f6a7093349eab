using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using RenderOwl.Api.Auth;
using RenderOwl.Application.Common.Pagination;
using RenderOwl.Application.Operations.Monitoring;
using RenderOwl.Domain.Common;

namespace RenderOwl.Api.Controllers;

/// <summary>Operator endpoints: the server errors (5xx problems) RenderOwl answered, kept until resolved and 90 days more (admin only).</summary>
[Route("internal/errors")]
[Authorize(Policy = Policies.Admin)]
public sealed class InternalErrorsController : ApiControllerBase
{
    public sealed record UpdateErrorRequest(bool? Resolved);

    /// <summary>Server errors, newest first; <c>resolved=false</c> for the open ones, <c>status</c> for one status.</summary>
    [HttpGet]
    [ProducesResponseType<Page<ErrorLogResponse>>(StatusCodes.Status200OK)]
    public async Task<Page<ErrorLogResponse>> List([FromQuery(Name = "page_size")] int? pageSize, [FromQuery] int? page, [FromQuery] string? cursor,
        [FromQuery] bool? resolved, [FromQuery] int? status, CancellationToken ct)
        => await Sender.Send(new ListErrorLogsQuery(PageOf(pageSize, page, cursor), resolved, status), ct);

    /// <summary>Mark an error resolved (<c>{"resolved": true}</c>) or open again (<c>false</c>).</summary>
    [HttpPatch("{error_id}")]
    [ProducesResponseType<ErrorLogResponse>(StatusCodes.Status200OK)]
    public async Task<ErrorLogResponse> Update([FromRoute(Name = "error_id")] ErrorLogId id, UpdateErrorRequest request, CancellationToken ct)
        => await Sender.Send(new UpdateErrorLogCommand(id, request.Resolved), ct);
}
