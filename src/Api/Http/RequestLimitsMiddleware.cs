using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.Options;
using RenderOwl.Application.Common.Errors;

namespace RenderOwl.Api.Http;

/// <summary>An endpoint that accepts larger bodies than the JSON default (e.g. asset uploads).</summary>
[AttributeUsage(AttributeTargets.Method | AttributeTargets.Class)]
public sealed class BodySizeLimitAttribute(long bytes) : Attribute
{
    public long Bytes { get; } = bytes;
}

/// <summary>414 / 431 problems before anything else reads the request (the server's own hard limits sit above these).</summary>
public sealed class RequestLimitsMiddleware(RequestDelegate next, IOptions<RequestLimitsOptions> options)
{
    private readonly RequestLimitsOptions _limits = options.Value;

    public Task InvokeAsync(HttpContext http)
    {
        var request = http.Request;
        var length = Math.Max(http.Features.Get<IHttpRequestFeature>()?.RawTarget?.Length ?? 0,
            request.PathBase.Value?.Length + request.Path.Value?.Length + request.QueryString.Value?.Length ?? 0);
        if (length > _limits.MaxUrlLength)
        {
            return Problems.WriteAsync(http, ErrorCatalog.UriTooLong, $"The request target is {length} characters; the limit is {_limits.MaxUrlLength}.").AsTask();
        }
        long headerBytes = 0;
        foreach (var (name, values) in http.Request.Headers)
        {
            foreach (var value in values)
            {
                headerBytes += name.Length + (value?.Length ?? 0) + 4; // "name: value\r\n"
            }
        }
        if (headerBytes > _limits.MaxHeadersBytes)
        {
            return Problems.WriteAsync(http, ErrorCatalog.HeadersTooLarge, $"The request headers take {headerBytes} bytes; the limit is {_limits.MaxHeadersBytes}.").AsTask();
        }
        return next(http);
    }
}

/// <summary>
/// The body limit of the matched endpoint: refused up front by Content-Length, and enforced while reading for
/// chunked bodies, so no request can make the server buffer more than the limit.
/// </summary>
public sealed class BodyLimitMiddleware(RequestDelegate next, IOptions<RequestLimitsOptions> options)
{
    private readonly long _default = options.Value.MaxBodyBytes;

    public Task InvokeAsync(HttpContext http)
    {
        var limit = http.GetEndpoint()?.Metadata.GetMetadata<BodySizeLimitAttribute>()?.Bytes ?? _default;
        if (http.Request.ContentLength is { } length && length > limit)
        {
            return Problems.WriteAsync(http, ErrorCatalog.PayloadTooLarge, $"The body is {length} bytes; the limit is {limit}.").AsTask();
        }
        if (http.Features.Get<IHttpMaxRequestBodySizeFeature>() is { IsReadOnly: false } feature)
        {
            feature.MaxRequestBodySize = limit;
        }
        if (http.Request.ContentLength is null && (HttpMethods.IsPost(http.Request.Method) || HttpMethods.IsPut(http.Request.Method) || HttpMethods.IsPatch(http.Request.Method)))
        {
            http.Request.Body = new LimitedReadStream(http.Request.Body, limit);
        }
        return next(http);
    }

    private sealed class LimitedReadStream(Stream inner, long limit) : Stream
    {
        private long _read;

        public override bool CanRead => true;
        public override bool CanSeek => false;
        public override bool CanWrite => false;
        public override long Length => throw new NotSupportedException();
        public override long Position { get => _read; set => throw new NotSupportedException(); }

        public override int Read(byte[] buffer, int offset, int count) => Count(inner.Read(buffer, offset, count));

        public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
            => Count(await inner.ReadAsync(buffer, cancellationToken));

        public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken)
            => ReadAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

        private int Count(int n)
        {
            _read += n;
            return _read > limit ? throw new PayloadTooLargeException($"The body exceeds the limit of {limit} bytes.") : n;
        }

        public override void Flush() { }
        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
        public override void SetLength(long value) => throw new NotSupportedException();
        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
    }
}
