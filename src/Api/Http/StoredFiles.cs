using Microsoft.AspNetCore.Mvc;
using Microsoft.Net.Http.Headers;
using RenderOwl.Application.Common.Abstractions;

namespace RenderOwl.Api.Http;

/// <summary>
/// Serves a stored object as a download: byte ranges (<c>Range</c> → 206, <c>If-Range</c>), a strong ETag from
/// its SHA-256 (<c>If-None-Match</c> → 304), <c>Last-Modified</c>, and <c>Content-Disposition: attachment</c>.
/// The file is streamed from disk, never buffered. Asset downloads and render outputs use it.
/// </summary>
public static class StoredFiles
{
    public static async Task<IActionResult> ServeAsync(IObjectStorage storage, Download file, CancellationToken cancellationToken)
        => new PhysicalFileResult(await storage.LocalPathAsync(file.StorageKey, cancellationToken), file.ContentType)
        {
            EntityTag = new EntityTagHeaderValue("\"" + file.Sha256 + "\""),
            LastModified = file.LastModified,
            EnableRangeProcessing = true,
            FileDownloadName = file.FileName,
        };
}
