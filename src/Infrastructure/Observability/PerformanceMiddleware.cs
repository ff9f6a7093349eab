using System.Diagnostics;
using Microsoft.AspNetCore.Http;

namespace RenderOwl.Infrastructure.Observability;

/// <summary>
/// Times every request from outside the exception handler (so a 500 is seen as one) and records it under its route
/// template and method in <see cref="RoutePerformanceMonitor"/>; counts its database statements for the query
/// profiler's N+1 check. A request no route matched is recorded as "(unmatched)".
/// </summary>
public sealed class PerformanceMiddleware(RequestDelegate next, RoutePerformanceMonitor monitor, QueryProfiler profiler)
{
    private static readonly object Unmatched = new();
    private static readonly Func<object, string> Describe = RouteNames.Describe;

    public async Task InvokeAsync(HttpContext http)
    {
        if (!monitor.Enabled)
        {
            await next(http);
            return;
        }
        var started = Stopwatch.GetTimestamp();
        var status = StatusCodes.Status500InternalServerError; // what the exception handler answers if next throws
        try
        {
            await next(http);
            status = http.Response.StatusCode;
        }
        finally
        {
            var endpoint = RouteNames.EndpointOf(http);
            var route = monitor.Record(endpoint ?? Unmatched, RouteNames.MethodOf(http.Request.Method), Describe,
                Stopwatch.GetTimestamp() - started, status, http.TraceIdentifier);
            profiler.EndRequest(http, route);
        }
    }
}
