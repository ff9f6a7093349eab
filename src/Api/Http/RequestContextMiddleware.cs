using System.Diagnostics;
using Serilog.Context;

namespace RenderOwl.Api.Http;

/// <summary>
/// X-Request-Id (the caller's, when sane, else a new one) and X-Trace-Id (the W3C trace of this request) on
/// every response, and on every log line written while handling it.
/// </summary>
public sealed class RequestContextMiddleware(RequestDelegate next)
{
    public async Task InvokeAsync(HttpContext http)
    {
        var incoming = http.Request.Headers[RequestContext.RequestIdHeader].ToString();
        var requestId = IsSane(incoming) ? incoming : Guid.CreateVersion7().ToString("N");
        http.TraceIdentifier = requestId;
        var traceId = Activity.Current?.TraceId.ToHexString() ?? ActivityTraceId.CreateRandom().ToHexString();
        http.Response.OnStarting(() =>
        {
            http.Response.Headers[RequestContext.RequestIdHeader] = requestId;
            http.Response.Headers[RequestContext.TraceIdHeader] = traceId;
            return Task.CompletedTask;
        });
        using (LogContext.PushProperty("RequestId", requestId))
        using (LogContext.PushProperty("TraceId", traceId))
        {
            await next(http);
        }
    }

    private static bool IsSane(string value)
        => value.Length is > 0 and <= 128 && value.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_' or '.');
}
