using Microsoft.AspNetCore.Mvc;
using RenderOwl.Api.Http;
using RenderOwl.Application.Common.Abstractions;
using RenderOwl.Application.Identity.Exports;
using RenderOwl.Domain.Common;

namespace RenderOwl.Api.Controllers;

[Route("v1/me/exports")]
public sealed class ExportsController(IObjectStorage storage) : ApiControllerBase
{
    /// <summary>
    /// Export everything the account holds — its rows as JSON and its files — as one zip, built in the background.
    /// 202: poll the Location until <c>status</c> is <c>succeeded</c>, then download. One at a time (409 <c>export-in-progress</c>); kept 7 days.
    /// </summary>
    [HttpPost]
    [ProducesResponseType<ExportResponse>(StatusCodes.Status202Accepted)]
    public async Task<IActionResult> Create(CancellationToken ct)
    {
        var export = await Sender.Send(new RequestExportCommand(), ct);
        return Accepted($"/v1/me/exports/{export.Id}", export);
    }

    /// <summary>An export's status; <c>download_url</c> once it has succeeded.</summary>
    [HttpGet("{export_id}")]
    [ProducesResponseType<ExportResponse>(StatusCodes.Status200OK)]
    public async Task<ExportResponse> Get([FromRoute(Name = "export_id")] ExportId id, CancellationToken ct) => await Sender.Send(new GetExportQuery(id), ct);

    /// <summary>The export's zip (<c>application/zip</c>), with Range and ETag. 409 <c>export-not-ready</c> until it has succeeded.</summary>
    [HttpGet("{export_id}/download")]
    [StreamedResponse]
    [ProducesResponseType(StatusCodes.Status200OK)]
    [ProducesResponseType(StatusCodes.Status206PartialContent)]
    public async Task<IActionResult> Download([FromRoute(Name = "export_id")] ExportId id, CancellationToken ct)
        => await StoredFiles.ServeAsync(storage, await Sender.Send(new GetExportDownloadQuery(id), ct), ct);
}
