using RenderOwl.Api.Http;

namespace RenderOwl.Api.Composition;

/// <summary>
/// Sentry (<c>Sentry:Dsn</c>; empty: off): server faults only — what is logged at Error, which the exception handler
/// does for 5xx problems and unhandled exceptions, never for 4xx or a client that went away. Each event names the
/// request id, route and user id (never the e-mail or the address), and passes the logs' masking policy: messages,
/// exception texts, breadcrumbs, extra data, query strings and headers are masked before they leave.
/// </summary>
public static class SentrySetup
{
    private const string RequestLogger = "Serilog.AspNetCore.RequestLoggingMiddleware";
    private static readonly HttpContextAccessor Accessor = new();
    private static readonly HashSet<string> DroppedHeaders = new(StringComparer.OrdinalIgnoreCase) { "Authorization", "Cookie", "Set-Cookie", "X-API-Key", "Proxy-Authorization" };

    public static void Configure(Sentry.AspNetCore.SentryAspNetCoreOptions o, IConfiguration configuration, IHostEnvironment environment)
    {
        o.Dsn = configuration["Sentry:Dsn"] ?? ""; // empty: disabled
        o.Environment = configuration["Sentry:Environment"] is { Length: > 0 } env ? env : environment.EnvironmentName.ToLowerInvariant();
        o.Release = "renderowl@" + ObservabilitySetup.Version;
        o.TracesSampleRate = Math.Clamp(configuration.GetValue("Sentry:TracesSampleRate", 0.0), 0, 1);
        o.SendDefaultPii = false;
        o.MinimumEventLevel = LogLevel.Error;
        o.MaxRequestBodySize = Sentry.Extensibility.RequestSize.None;
        o.SetBeforeSend(Scrub);
        o.SetBeforeBreadcrumb(Scrub);
    }

    /// <summary>Drops client cancellations; tags the request; masks every text the event carries.</summary>
    public static SentryEvent? Scrub(SentryEvent e, SentryHint hint)
    {
        if (e.Exception is OperationCanceledException && Accessor.HttpContext?.RequestAborted.IsCancellationRequested == true)
        {
            return null; // the client went away: not a fault of ours
        }
        if (e.Exception is not null && Accessor.HttpContext?.Response.StatusCode is >= 400 and < 500)
        {
            return null; // an exception the handler answered as a 4xx problem (Sentry's middleware reports every handled one)
        }
        if (e.Logger == RequestLogger)
        {
            return null; // the request's summary line of a 5xx: the fault itself is reported by the exception handler's event
        }
        if (Accessor.HttpContext is { } http)
        {
            e.SetTag("request_id", http.TraceIdentifier);
            var endpoint = http.Features.Get<Microsoft.AspNetCore.Diagnostics.IExceptionHandlerPathFeature>()?.Endpoint ?? http.GetEndpoint();
            if (endpoint is RouteEndpoint { RoutePattern.RawText: { } route })
            {
                e.SetTag("route", http.Request.Method + " " + (route.StartsWith('/') ? route : "/" + route));
            }
            if (http.User.FindFirst("sub")?.Value is { } userId)
            {
                e.User = new SentryUser { Id = userId };
            }
        }
        if (e.Message is { } message)
        {
            e.Message = new SentryMessage
            {
                Message = message.Message is { } m ? SensitiveDataMasking.MaskText(m) : null,
                Formatted = message.Formatted is { } f ? SensitiveDataMasking.MaskText(f) : null,
            };
        }
        foreach (var exception in e.SentryExceptions ?? [])
        {
            exception.Value = exception.Value is { } v ? SensitiveDataMasking.MaskText(v) : null;
        }
        foreach (var (key, value) in e.Extra.ToList())
        {
            e.SetExtra(key, SensitiveDataMasking.IsSensitiveName(key) ? SensitiveDataMasking.Mask : value is string s ? SensitiveDataMasking.MaskText(s) : value);
        }
        foreach (var (key, value) in e.Tags.ToList())
        {
            e.SetTag(key, SensitiveDataMasking.MaskText(value));
        }
        ScrubRequest(e.Request);
        return e;
    }

    /// <summary>A breadcrumb as the logs would show it (taken when it is made, so its time is kept to the millisecond).</summary>
    public static Breadcrumb? Scrub(Breadcrumb crumb)
        => new(crumb.Message is { } m ? SensitiveDataMasking.MaskText(m) : "", crumb.Type ?? "default",
            crumb.Data?.ToDictionary(d => d.Key, d => SensitiveDataMasking.IsSensitiveName(d.Key) ? SensitiveDataMasking.Mask : SensitiveDataMasking.MaskText(d.Value)),
            crumb.Category, crumb.Level);

    private static void ScrubRequest(SentryRequest request)
    {
        if (request.QueryString is { } query)
        {
            request.QueryString = SensitiveDataMasking.MaskText(query);
        }
        if (request.Url is { } url)
        {
            request.Url = SensitiveDataMasking.MaskText(url);
        }
        foreach (var name in request.Headers.Keys.ToList())
        {
            if (DroppedHeaders.Contains(name))
            {
                request.Headers.Remove(name);
            }
            else
            {
                request.Headers[name] = SensitiveDataMasking.MaskText(request.Headers[name]);
            }
        }
        request.Cookies = null;
        request.Data = null;
    }
}
