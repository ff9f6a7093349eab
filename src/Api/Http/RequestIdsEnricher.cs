using System.Diagnostics;
using Serilog.Core;
using Serilog.Events;

namespace RenderOwl.Api.Http;

/// <summary>
/// Stamps every log event written during a request with that request's X-Request-Id and trace id. It overrides
/// the hosting log scope's RequestId, which is the connection-based id taken before RequestContextMiddleware ran.
/// </summary>
public sealed class RequestIdsEnricher(IHttpContextAccessor accessor) : ILogEventEnricher
{
    public void Enrich(LogEvent logEvent, ILogEventPropertyFactory propertyFactory)
    {
        if (accessor.HttpContext is not { } http)
        {
            return;
        }
        logEvent.AddOrUpdateProperty(propertyFactory.CreateProperty("RequestId", http.TraceIdentifier));
        if (Activity.Current is { } activity)
        {
            logEvent.AddOrUpdateProperty(propertyFactory.CreateProperty("TraceId", activity.TraceId.ToHexString()));
        }
    }
}
