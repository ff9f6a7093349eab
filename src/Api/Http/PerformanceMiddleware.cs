using System.Diagnostics;
using Microsoft.AspNetCore.Diagnostics;
using RenderOwl.Infrastructure.Observability;

namespace RenderOwl.Api.Http;

/// <summary>
/// Times every request from outside the exception handler (so a 500 is seen as one) and records it under its route
/// template and method in <see cref="RoutePerformanceMonitor"/>. A request no route matched is recorded as "(unmatched)".
/// </summary>
public sealed class PerformanceMiddleware(RequestDelegate next, RoutePerformanceMonitor monitor)
{
    private static readonly object Unmatched = new();
    private static readonly Func<object, string> Describe = DescribeEndpoint;

    public async Task InvokeAsync(HttpContext http)
    {
        if (!monitor.Enabled)
        {
            await next(http);
            return;
        }
        var started = Stopwatch.GetTimestamp();
        var status = StatusCodes.Status500InternalServerError; // what the exception handler will answer if next throws
        try
        {
            await next(http);
            status = http.Response.StatusCode;
        }
        finally
        {
            var endpoint = http.Features.Get<IExceptionHandlerPathFeature>()?.Endpoint ?? http.GetEndpoint();
            monitor.Record(endpoint ?? Unmatched, MethodOf(http.Request.Method), Describe, Stopwatch.GetTimestamp() - started, status, http.TraceIdentifier);
        }
    }

    /// <summary>The standard methods by name; any other token as OTHER, so a client cannot grow the table.</summary>
    private static string MethodOf(string method)
        => HttpMethods.GetCanonicalizedValue(method) is var known && (HttpMethods.IsGet(known) || HttpMethods.IsPost(known) || HttpMethods.IsPut(known)
            || HttpMethods.IsPatch(known) || HttpMethods.IsDelete(known) || HttpMethods.IsHead(known) || HttpMethods.IsOptions(known))
            ? known : "OTHER";

    private static string DescribeEndpoint(object endpoint) => endpoint switch
    {
        RouteEndpoint { RoutePattern.RawText: { } raw } => raw.StartsWith('/') ? raw : "/" + raw,
        Endpoint { DisplayName: { } name } => name,
        _ => "(unmatched)",
    };
}
