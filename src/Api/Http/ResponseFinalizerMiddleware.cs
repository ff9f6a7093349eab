using System.IO.Compression;
using Microsoft.IO;
using Microsoft.Net.Http.Headers;

namespace RenderOwl.Api.Http;

/// <summary>An endpoint whose response is streamed (file downloads, server-sent events): not buffered, hashed or compressed here.</summary>
[AttributeUsage(AttributeTargets.Method | AttributeTargets.Class)]
public sealed class StreamedResponseAttribute : Attribute;

/// <summary>
/// Buffers JSON responses (they are small) to give GETs a strong ETag with <c>Cache-Control: private, no-cache</c>,
/// answer <c>If-None-Match</c> with 304, and compress bodies over 1 KiB with brotli or gzip when the client asks.
/// The buffers are pooled (RecyclableMemoryStream) and the result is written straight to the server's pipe: a new
/// MemoryStream per response, its growth and a stream-to-stream copy were 5 % of a request's CPU (docs/benchmarks.md).
/// </summary>
public sealed class ResponseFinalizerMiddleware(RequestDelegate next)
{
    public const int CompressionThreshold = 1024;

    // Handed to GetStream so the pool does not make a Guid per stream (Guid.NewGuid reads /dev/urandom with a system call);
    // the id only labels the pool's diagnostic events, which nothing here listens to.
    private static readonly Guid StreamId = new("6f1d2a54-0c3e-4b8e-9a51-7d2f4e6b8c10");

    private static readonly RecyclableMemoryStreamManager Buffers = new(new RecyclableMemoryStreamManager.Options
    {
        BlockSize = 16 * 1024,
        LargeBufferMultiple = 256 * 1024,
        MaximumBufferSize = 8 * 1024 * 1024,
        MaximumSmallPoolFreeBytes = 16 * 1024 * 1024, // what the pool keeps between requests, at most
        MaximumLargePoolFreeBytes = 32 * 1024 * 1024,
    });

    // Over 60 lines on purpose: one buffered response's last steps (ETag, 304, compression) in the order they must run.
    public async Task InvokeAsync(HttpContext http)
    {
        if (http.GetEndpoint()?.Metadata.GetMetadata<StreamedResponseAttribute>() is not null)
        {
            await next(http);
            return;
        }
        var original = http.Response.Body;
        using var buffer = Buffers.GetStream(StreamId, "response");
        http.Response.Body = buffer;
        try
        {
            await next(http);
        }
        finally
        {
            http.Response.Body = original;
        }

        var response = http.Response;
        var isGet = HttpMethods.IsGet(http.Request.Method) || HttpMethods.IsHead(http.Request.Method);
        if (isGet && response.StatusCode == StatusCodes.Status200OK && IsJson(response.ContentType))
        {
            var etag = response.Headers.ETag.Count > 0 ? response.Headers.ETag.ToString() : ETags.Of(buffer.GetReadOnlySequence());
            response.Headers.ETag = etag;
            if (response.Headers.CacheControl.Count == 0)
            {
                response.Headers.CacheControl = "private, no-cache";
            }
            if (ETags.IfNoneMatchHits(http.Request, etag))
            {
                response.StatusCode = StatusCodes.Status304NotModified;
                response.ContentLength = null;
                response.Headers.ContentType = default;
                return;
            }
        }
        if (buffer.Length == 0)
        {
            return;
        }
        buffer.Position = 0;
        var encoding = buffer.Length >= CompressionThreshold && IsCompressible(response.ContentType) && response.Headers.ContentEncoding.Count == 0
            ? ChooseEncoding(http.Request)
            : null;
        response.Headers.Append(HeaderNames.Vary, HeaderNames.AcceptEncoding);
        if (encoding is null)
        {
            response.ContentLength = buffer.Length;
            await WriteAsync(http, original, buffer);
            return;
        }
        using var compressed = Buffers.GetStream(StreamId, "compressed");
        await using (Stream zip = encoding == "br"
            ? new BrotliStream(compressed, CompressionLevel.Fastest, leaveOpen: true)
            : new GZipStream(compressed, CompressionLevel.Fastest, leaveOpen: true))
        {
            await buffer.CopyToAsync(zip, http.RequestAborted);
        }
        response.Headers.ContentEncoding = encoding;
        response.ContentLength = compressed.Length;
        await WriteAsync(http, original, compressed);
    }

    /// <summary>The buffered bytes to the client: into the server's pipe when the body is still the server's own.</summary>
    private static async Task WriteAsync(HttpContext http, Stream original, RecyclableMemoryStream buffer)
    {
        var body = http.Features.Get<Microsoft.AspNetCore.Http.Features.IHttpResponseBodyFeature>();
        if (body is not null && ReferenceEquals(body.Stream, original))
        {
            foreach (var segment in buffer.GetReadOnlySequence())
            {
                var flushed = await body.Writer.WriteAsync(segment, http.RequestAborted);
                if (flushed.IsCanceled || flushed.IsCompleted)
                {
                    return;
                }
            }
            return;
        }
        buffer.Position = 0;
        await buffer.CopyToAsync(original, http.RequestAborted); // another middleware wrapped the body: write through it
    }

    private static bool IsJson(string? contentType)
        => contentType is not null && (contentType.StartsWith("application/json", StringComparison.OrdinalIgnoreCase)
            || contentType.StartsWith("application/problem+json", StringComparison.OrdinalIgnoreCase));

    private static bool IsCompressible(string? contentType)
        => contentType is not null && (IsJson(contentType) || contentType.StartsWith("text/", StringComparison.OrdinalIgnoreCase)
            || contentType.StartsWith("application/javascript", StringComparison.OrdinalIgnoreCase)
            || contentType.StartsWith("image/svg", StringComparison.OrdinalIgnoreCase));

    private static string? ChooseEncoding(HttpRequest request)
    {
        if (!StringWithQualityHeaderValue.TryParseList(request.Headers.AcceptEncoding, out var values))
        {
            return null;
        }
        double br = -1, gzip = -1;
        foreach (var v in values)
        {
            var q = v.Quality ?? 1;
            if (v.Value.Equals("br", StringComparison.OrdinalIgnoreCase)) { br = q; }
            else if (v.Value.Equals("gzip", StringComparison.OrdinalIgnoreCase)) { gzip = q; }
            else if (v.Value.Equals("*", StringComparison.Ordinal)) { br = br < 0 ? q : br; gzip = gzip < 0 ? q : gzip; }
        }
        if (br > 0 && br >= gzip) { return "br"; }
        return gzip > 0 ? "gzip" : null;
    }
}
