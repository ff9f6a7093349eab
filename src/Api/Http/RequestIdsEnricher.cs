using System.Diagnostics;
using Serilog.Core;
using Serilog.Events;

namespace RenderOwl.Api.Http;

/// <summary>
/// Stamps every log event with the current trace and span (requests, jobs and renders alike) and, during a request,
/// its X-Request-Id, the caller's user id (never the e-mail) and the route template. The request id overrides the
/// hosting log scope's RequestId, which is the connection-based id taken before RequestContextMiddleware ran.
/// </summary>
public sealed class RequestIdsEnricher(IHttpContextAccessor accessor) : ILogEventEnricher
{
    public void Enrich(LogEvent logEvent, ILogEventPropertyFactory propertyFactory)
    {
        if (Activity.Current is { } activity)
        {
            logEvent.AddOrUpdateProperty(propertyFactory.CreateProperty("TraceId", activity.TraceId.ToHexString()));
            logEvent.AddOrUpdateProperty(propertyFactory.CreateProperty("SpanId", activity.SpanId.ToHexString()));
        }
        if (accessor.HttpContext is not { } http)
        {
            return;
        }
        logEvent.AddOrUpdateProperty(propertyFactory.CreateProperty("RequestId", http.TraceIdentifier));
        if (http.User.FindFirst("sub")?.Value is { } userId)
        {
            logEvent.AddPropertyIfAbsent(propertyFactory.CreateProperty("UserId", userId));
        }
        if (http.GetEndpoint() is RouteEndpoint { RoutePattern.RawText: { } route })
        {
            logEvent.AddPropertyIfAbsent(propertyFactory.CreateProperty("Route", http.Request.Method + " " + (route.StartsWith('/') ? route : "/" + route)));
        }
    }
}
