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
    /// Add an asset: upload a file (<c>multipart/form-data</c>, one file part), or import one from a public
    /// http(s) URL (<c>application/json</c> <c>{"url": …}</c>; SSRF-guarded: private, loopback and metadata
    /// addresses are refused). An upload is streamed to storage, never held in memory; its type is decided
    /// from its content. Limit: your tier's max asset size (413 past it). Any other content type is 415.
    /// </summary>
    [HttpPost("v1/projects/{project_id}/assets")]
    [Consumes("multipart/form-data", "application/json")]
    [BodySizeLimit(MaxUploadBody)]
    [StreamedUpload]
    [ProducesResponseType<AssetResponse>(StatusCodes.Status201Created)]
    public async Task<IActionResult> Create([FromRoute(Name = "project_id")] ProjectId projectId, CancellationToken ct)
    {
        var type = Request.ContentType ?? "";
        var asset = type.StartsWith("multipart/form-data", StringComparison.OrdinalIgnoreCase) ? await UploadAsync(projectId, ct)
            : Request.HasJsonContentType() ? await ImportAsync(projectId, ct)
            : throw new UnsupportedMediaTypeException("Send multipart/form-data (a file) or application/json ({\"url\": …}).");
        return Created($"/v1/assets/{asset.Id}", asset);
    }

    private async Task<AssetResponse> UploadAsync(ProjectId projectId, CancellationToken ct)
    {
        var boundary = MediaTypeHeaderValue.TryParse(Request.ContentType, out var media) ? HeaderUtilities.RemoveQuotes(media.Boundary).Value : null;
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
                return await Sender.Send(new UploadAssetCommand(projectId, new ClientBodyStream(section.Body), name), ct);
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
        catch (Exception ex) when (ex is IOException or InvalidDataException && !ct.IsCancellationRequested)
        {
            throw ValidationFailedException.For("file", "malformed_multipart", "The multipart body is malformed or ended early.");
        }
    }

    /// <summary>The file part as it arrives: a body that breaks off or breaks the multipart rules is the client's 400, not a server fault.</summary>
    private sealed class ClientBodyStream(Stream inner) : Stream
    {
        public override bool CanRead => true;
        public override bool CanSeek => false;
        public override bool CanWrite => false;
        public override long Length => throw new NotSupportedException();
        public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }

        public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
        {
            try
            {
                return await inner.ReadAsync(buffer, cancellationToken);
            }
            catch (Exception ex) when (ex is IOException or InvalidDataException && !cancellationToken.IsCancellationRequested)
            {
                throw ValidationFailedException.For("file", "malformed_multipart", "The multipart body is malformed or ended early.");
            }
        }

        public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken)
            => ReadAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

        public override int Read(byte[] buffer, int offset, int count) => ReadAsync(buffer, offset, count).GetAwaiter().GetResult();
        public override void Flush() { }
        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
        public override void SetLength(long value) => throw new NotSupportedException();
        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
    }

    /// <summary>The JSON form: <c>{"url": "https://…"}</c>, already checked as UTF-8 JSON by the text guard.</summary>
    private async Task<AssetResponse> ImportAsync(ProjectId projectId, CancellationToken ct)
    {
        ImportAssetRequest? request;
        try
        {
            request = await Request.ReadFromJsonAsync<ImportAssetRequest>(Application.Common.Json.ApiJson.Options, ct);
        }
        catch (System.Text.Json.JsonException)
        {
            throw ValidationFailedException.For("body", "malformed_json", "The body is not a JSON object with a 'url' string.");
        }
        if (request?.Url is not { } url)
        {
            throw ValidationFailedException.For("url", "required", "'url' is required.");
        }
        return await Sender.Send(new ImportAssetCommand(projectId, url), ct);
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
        return await StoredFiles.ServeAsync(storage, await Sender.Send(new GetAssetContentQuery(id), ct), ct);
    }

    [HttpDelete("v1/assets/{asset_id}")]
    [ProducesResponseType(StatusCodes.Status204NoContent)]
    public async Task<IActionResult> Delete([FromRoute(Name = "asset_id")] AssetId id, CancellationToken ct)
    {
        await Sender.Send(new DeleteAssetCommand(id), ct);
        return NoContent();
    }
}
