using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.WebUtilities;
using Microsoft.Net.Http.Headers;
using RenderOwl.Api.Http;
using RenderOwl.Application.Assets;
using RenderOwl.Application.Common.Abstractions;
using RenderOwl.Application.Common.Errors;
using RenderOwl.Application.Common.Pagination;
using RenderOwl.Domain.Common;

namespace RenderOwl.Api.Controllers;

public sealed class AssetsController(IObjectStorage storage) : ApiControllerBase
{
    /// <summary>The largest tier's limit plus multipart overhead; each tier's own limit is enforced while streaming.</summary>
    private const long MaxUploadBody = (2L * 1024 * 1024 * 1024) + (1024 * 1024);

    public sealed record ImportAssetRequest(string Url);

    /// <summary>
    /// Upload a file (multipart/form-data, one file part). It is streamed to storage, never held in memory; its
    /// type is decided from its content. Limit: your tier's max asset size (413 past it).
    /// </summary>
    [HttpPost("v1/projects/{project_id}/assets")]
    [Consumes("multipart/form-data")]
    [BodySizeLimit(MaxUploadBody)]
    [StreamedUpload]
    [ProducesResponseType<AssetResponse>(StatusCodes.Status201Created)]
    public async Task<IActionResult> Upload([FromRoute(Name = "project_id")] ProjectId projectId, CancellationToken ct)
    {
        var boundary = HeaderUtilities.RemoveQuotes(MediaTypeHeaderValue.Parse(Request.ContentType).Boundary).Value;
        if (string.IsNullOrEmpty(boundary) || boundary.Length > 200)
        {
            throw ValidationFailedException.For("file", "malformed_multipart", "The multipart body has no valid boundary.");
        }
        var reader = new MultipartReader(boundary, Request.Body);
        while (await NextSectionAsync(reader, ct) is { } section)
        {
            if (ContentDispositionHeaderValue.TryParse(section.ContentDisposition, out var disposition) && disposition.IsFileDisposition())
            {
                var name = HeaderUtilities.RemoveQuotes(disposition.FileNameStar.HasValue ? disposition.FileNameStar : disposition.FileName).Value;
                if (name is not null && (name.Any(char.IsControl) || !JsonText.IsStorable(name)))
                {
                    throw ValidationFailedException.For("file", "invalid_character", "The file name may not hold control characters (U+0000 among them) or lone surrogates.");
                }
                var asset = await Sender.Send(new UploadAssetCommand(projectId, section.Body, name), ct);
                return Created($"/v1/assets/{asset.Id}", asset);
            }
        }
        throw ValidationFailedException.For("file", "required", "Send the file as a multipart part with a filename.");
    }

    private static async Task<MultipartSection?> NextSectionAsync(MultipartReader reader, CancellationToken ct)
    {
        try
        {
            return await reader.ReadNextSectionAsync(ct);
        }
        catch (IOException) when (!ct.IsCancellationRequested)
        {
            throw ValidationFailedException.For("file", "malformed_multipart", "The multipart body is malformed or ended early.");
        }
    }

    /// <summary>Import a file from a public http(s) URL (SSRF-guarded: private, loopback and metadata addresses are refused).</summary>
    [HttpPost("v1/projects/{project_id}/assets")]
    [Consumes("application/json")]
    [ProducesResponseType<AssetResponse>(StatusCodes.Status201Created)]
    public async Task<IActionResult> Import([FromRoute(Name = "project_id")] ProjectId projectId, ImportAssetRequest request, CancellationToken ct)
    {
        var asset = await Sender.Send(new ImportAssetCommand(projectId, request.Url), ct);
        return Created($"/v1/assets/{asset.Id}", asset);
    }

    [HttpGet("v1/projects/{project_id}/assets")]
    [ProducesResponseType<Page<AssetResponse>>(StatusCodes.Status200OK)]
    public async Task<Page<AssetResponse>> List([FromRoute(Name = "project_id")] ProjectId projectId,
        [FromQuery(Name = "page_size")] int? pageSize, [FromQuery] int? page, [FromQuery] string? cursor, CancellationToken ct)
        => await Sender.Send(new ListAssetsQuery(projectId, PageOf(pageSize, page, cursor)), ct);

    [HttpGet("v1/assets/{asset_id}")]
    [ProducesResponseType<AssetResponse>(StatusCodes.Status200OK)]
    public async Task<AssetResponse> Get([FromRoute(Name = "asset_id")] AssetId id, CancellationToken ct)
        => await Sender.Send(new GetAssetQuery(id), ct);

    /// <summary>The file itself, with Range, ETag and Content-Disposition.</summary>
    [HttpGet("v1/assets/{asset_id}/content")]
    [StreamedResponse]
    [ProducesResponseType(StatusCodes.Status200OK)]
    [ProducesResponseType(StatusCodes.Status206PartialContent)]
    public async Task<IActionResult> Content([FromRoute(Name = "asset_id")] AssetId id, CancellationToken ct)
    {
        var file = await Sender.Send(new GetAssetContentQuery(id), ct);
        return StoredFiles.Serve(storage, file.StorageKey, file.ContentType, file.Sha256, file.FileName, file.CreatedAt);
    }

    [HttpDelete("v1/assets/{asset_id}")]
    [ProducesResponseType(StatusCodes.Status204NoContent)]
    public async Task<IActionResult> Delete([FromRoute(Name = "asset_id")] AssetId id, CancellationToken ct)
    {
        await Sender.Send(new DeleteAssetCommand(id), ct);
        return NoContent();
    }
}
