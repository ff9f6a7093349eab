using System.Diagnostics;

namespace RenderOwl.Api.Http;

/// <summary>
/// X-Request-Id (the caller's, when sane, else a new one) and X-Trace-Id (the W3C trace of this request) on
/// every response; RequestIdsEnricher puts the same ids on every log line written while handling it.
/// </summary>
public sealed class RequestContextMiddleware(RequestDelegate next)
{
    public Task InvokeAsync(HttpContext http)
    {
        var incoming = http.Request.Headers[RequestContext.RequestIdHeader].ToString();
        var requestId = IsSane(incoming) ? incoming : RequestContext.NewRequestId(DateTimeOffset.UtcNow);
        http.TraceIdentifier = requestId;
        var traceId = Activity.Current?.TraceId.ToHexString() ?? ActivityTraceId.CreateRandom().ToHexString();
        http.Response.OnStarting(() =>
        {
            http.Response.Headers[RequestContext.RequestIdHeader] = requestId;
            http.Response.Headers[RequestContext.TraceIdHeader] = traceId;
            return Task.CompletedTask;
        });
        return next(http); // log lines get both ids from RequestIdsEnricher
    }

    private static bool IsSane(string value)
        => value.Length is > 0 and <= 128 && value.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_' or '.');
}
