using System.Text.Json;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Extensions.Options;
using RenderOwl.Api.Auth;
using RenderOwl.Api.Http;
using RenderOwl.Application.Common.Abstractions;
using RenderOwl.Application.Common.Pagination;
using RenderOwl.Application.Rendering;
using RenderOwl.Application.Rendering.Sharing;
using RenderOwl.Domain.Common;
using RenderOwl.Domain.Rendering;

namespace RenderOwl.Api.Controllers;

public sealed class RendersController(IObjectStorage storage, IOptions<Microsoft.AspNetCore.Mvc.JsonOptions> json) : ApiControllerBase
{
    public sealed record RenderRequestBody(
        JsonElement? Composition, TemplateId? TemplateId, Dictionary<string, JsonElement>? Modifications, OutputSettingsRequest? OutputSettings,
        RenderPriority? Priority, string? WebhookUrl, IReadOnlyList<string>? Tags, JsonElement? Metadata, bool? FailOnWarnings = null,
        bool? Cache = null)
    {
        public RenderRequest ToRequest() => new(Composition, TemplateId, Modifications, OutputSettings, Priority, WebhookUrl, Tags, Metadata)
        {
            FailOnWarnings = FailOnWarnings == true,
            Cache = Cache,
        };
    }

    public sealed record BatchRequest(IReadOnlyList<RenderRequestBody>? Renders);
    public sealed record BatchResponse(IReadOnlyList<RenderResponse> Renders);

    /// <summary>Queue a render of a composition (or of a template with modifications). 202: poll the Location, or stream its events.</summary>
    [HttpPost("v1/projects/{project_id}/renders")]
    [ProducesResponseType<RenderResponse>(StatusCodes.Status202Accepted)]
    public async Task<IActionResult> Submit([FromRoute(Name = "project_id")] ProjectId projectId, RenderRequestBody request, CancellationToken ct)
    {
        var render = await Sender.Send(new SubmitRenderCommand(projectId, request.ToRequest()), ct);
        return Accepted($"/v1/renders/{render.Id}", render);
    }

    /// <summary>The dry run: the same body as a render; errors, layout warnings, the resolved timeline and an estimate. Renders nothing, costs nothing.</summary>
    [HttpPost("v1/projects/{project_id}/renders/validate")]
    [ProducesResponseType<RenderCheckResponse>(StatusCodes.Status200OK)]
    public async Task<RenderCheckResponse> Validate([FromRoute(Name = "project_id")] ProjectId projectId, RenderRequestBody request, CancellationToken ct)
        => await Sender.Send(new ValidateRenderQuery(projectId, request.ToRequest()), ct);

    /// <summary>Up to 100 renders, validated all or nothing and inserted in one transaction.</summary>
    [HttpPost("v1/projects/{project_id}/renders/batch")]
    [ProducesResponseType<BatchResponse>(StatusCodes.Status202Accepted)]
    public async Task<IActionResult> SubmitBatch([FromRoute(Name = "project_id")] ProjectId projectId, BatchRequest request, CancellationToken ct)
    {
        var renders = await Sender.Send(new SubmitRenderBatchCommand(projectId, (request.Renders ?? []).Select(r => r?.ToRequest()).ToList()), ct);
        return Accepted(new BatchResponse(renders));
    }

    [HttpGet("v1/projects/{project_id}/renders")]
    [ProducesResponseType<Page<RenderResponse>>(StatusCodes.Status200OK)]
    public async Task<Page<RenderResponse>> List([FromRoute(Name = "project_id")] ProjectId projectId,
        [FromQuery] RenderStatus? status, [FromQuery] string? tag,
        [FromQuery(Name = "created_after")] DateTimeOffset? createdAfter, [FromQuery(Name = "created_before")] DateTimeOffset? createdBefore,
        [FromQuery(Name = "page_size")] int? pageSize, [FromQuery] int? page, [FromQuery] string? cursor, CancellationToken ct)
        => await Sender.Send(new ListRendersQuery(projectId, PageOf(pageSize, page, cursor), status, tag, createdAfter, createdBefore), ct);

    [HttpGet("v1/renders/{render_id}")]
    [ProducesResponseType<RenderResponse>(StatusCodes.Status200OK)]
    public async Task<RenderResponse> Get([FromRoute(Name = "render_id")] RenderId id, CancellationToken ct)
        => await Sender.Send(new GetRenderQuery(id), ct);

    /// <summary>A queued render is canceled at once; a running one is stopped on its worker within about 2 s. 409 when already finished.</summary>
    [HttpPost("v1/renders/{render_id}/cancel")]
    [ProducesResponseType<RenderResponse>(StatusCodes.Status200OK)]
    public async Task<RenderResponse> Cancel([FromRoute(Name = "render_id")] RenderId id, CancellationToken ct)
        => await Sender.Send(new CancelRenderCommand(id), ct);

    /// <summary>The rendered file, with Range, ETag and Content-Disposition. 409 until the render succeeded.</summary>
    [HttpGet("v1/renders/{render_id}/output")]
    [StreamedResponse]
    [ProducesResponseType(StatusCodes.Status200OK)]
    [ProducesResponseType(StatusCodes.Status206PartialContent)]
    public async Task<IActionResult> Output([FromRoute(Name = "render_id")] RenderId id, CancellationToken ct)
    {
        return await StoredFiles.ServeAsync(storage, await Sender.Send(new GetRenderOutputQuery(id), ct), ct);
    }

    /// <summary>The JPEG poster every video output gets (at <c>output_settings.poster.at</c>, default 1 s). 409 until the render succeeded; 404 for mp3 and stills.</summary>
    [HttpGet("v1/renders/{render_id}/poster")]
    [StreamedResponse]
    [ProducesResponseType(StatusCodes.Status200OK)]
    [ProducesResponseType(StatusCodes.Status206PartialContent)]
    public async Task<IActionResult> Poster([FromRoute(Name = "render_id")] RenderId id, CancellationToken ct)
        => await StoredFiles.ServeAsync(storage, await Sender.Send(new GetRenderOutputQuery(id, OutputPart.Poster), ct), ct);

    /// <summary>The contact sheet asked for with <c>output_settings.thumbnails.count</c>: that many frames evenly spaced, tiled in one JPEG. 404 when not asked for.</summary>
    [HttpGet("v1/renders/{render_id}/thumbnails")]
    [StreamedResponse]
    [ProducesResponseType(StatusCodes.Status200OK)]
    [ProducesResponseType(StatusCodes.Status206PartialContent)]
    public async Task<IActionResult> Thumbnails([FromRoute(Name = "render_id")] RenderId id, CancellationToken ct)
        => await StoredFiles.ServeAsync(storage, await Sender.Send(new GetRenderOutputQuery(id, OutputPart.Thumbnails), ct), ct);

    /// <summary>What made the output: the resolved composition's hash, the settings, the assets' and fonts' hashes, ffmpeg's version and exact arguments, the output's hash. 409 until the render succeeded.</summary>
    [HttpGet("v1/renders/{render_id}/manifest")]
    [ProducesResponseType<RenderManifest>(StatusCodes.Status200OK)]
    public async Task<RenderManifest> Manifest([FromRoute(Name = "render_id")] RenderId id, CancellationToken ct)
        => await Sender.Send(new GetRenderManifestQuery(id), ct);

    public sealed record ShareRequest(int? ExpiresIn);

    /// <summary>A signed link to the render's output that anyone may GET (with Range) until <c>expires_at</c> or until the links are revoked. 409 before the render succeeded.</summary>
    [HttpPost("v1/renders/{render_id}/share")]
    [ProducesResponseType<ShareLinkResponse>(StatusCodes.Status200OK)]
    public async Task<ShareLinkResponse> Share([FromRoute(Name = "render_id")] RenderId id, ShareRequest? request, CancellationToken ct)
        => await Sender.Send(new CreateShareLinkCommand(id, request?.ExpiresIn, $"{Request.Scheme}://{Request.Host}"), ct);

    /// <summary>Revokes every share link of the render made so far. 204.</summary>
    [HttpDelete("v1/renders/{render_id}/share")]
    [ProducesResponseType(StatusCodes.Status204NoContent)]
    public async Task<IActionResult> RevokeShares([FromRoute(Name = "render_id")] RenderId id, CancellationToken ct)
    {
        await Sender.Send(new RevokeShareLinksCommand(id), ct);
        return NoContent();
    }

    /// <summary>
    /// The render's status history. With <c>Accept: text/event-stream</c>: a live stream of <c>status</c> and
    /// <c>progress</c> events until the render finishes (then an <c>end</c> event).
    /// </summary>
    [HttpGet("v1/renders/{render_id}/events")]
    [StreamedResponse]
    [ProducesResponseType<IReadOnlyList<RenderEventResponse>>(StatusCodes.Status200OK)]
    public async Task<IActionResult> Events([FromRoute(Name = "render_id")] RenderId id, CancellationToken ct)
    {
        if (!Request.Headers.Accept.ToString().Contains("text/event-stream", StringComparison.OrdinalIgnoreCase))
        {
            return Ok(await Sender.Send(new ListRenderEventsQuery(id), ct));
        }
        var render = await Sender.Send(new GetRenderQuery(id), ct); // 404 before the stream starts
        Response.ContentType = "text/event-stream";
        Response.Headers.CacheControl = "no-cache";
        Response.Headers["X-Accel-Buffering"] = "no";
        var options = json.Value.JsonSerializerOptions;
        (RenderStatus Status, int Progress)? last = null;
        while (!ct.IsCancellationRequested)
        {
            if (last is null || last.Value.Status != render.Status)
            {
                await WriteEventAsync("status", render, options, ct);
            }
            if (last is null || last.Value.Progress != render.Progress)
            {
                await WriteEventAsync("progress", new { id = render.Id.ToString(), status = render.Status.ToString().ToLowerInvariant(), progress = render.Progress }, options, ct);
            }
            last = (render.Status, render.Progress);
            if (render.Status.IsFinal())
            {
                await WriteEventAsync("end", render, options, ct);
                break;
            }
            await Task.Delay(250, ct);
            render = await Sender.Send(new GetRenderQuery(id), ct);
        }
        return new EmptyResult();
    }

    private async Task WriteEventAsync<T>(string name, T data, JsonSerializerOptions options, CancellationToken ct)
    {
        await Response.WriteAsync($"event: {name}\ndata: {JsonSerializer.Serialize(data, options)}\n\n", ct);
        await Response.Body.FlushAsync(ct);
    }

    /// <summary>Admin: queued renders by priority, running, finished in the last hour, p50/p95 wait and run times.</summary>
    [HttpGet("internal/queues")]
    [Authorize(Policy = Policies.Admin)]
    [ProducesResponseType<QueueFigures>(StatusCodes.Status200OK)]
    public async Task<QueueFigures> Queues(CancellationToken ct) => await Sender.Send(new GetQueueFiguresQuery(), ct);
}
