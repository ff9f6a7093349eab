using Microsoft.AspNetCore.Mvc;
using RenderOwl.Application.Common.Abstractions;
using RenderOwl.Application.Common.Errors;
using RenderOwl.Domain.Operations;
using RenderOwl.Infrastructure.Observability;

namespace RenderOwl.Api.Composition;

/// <summary>
/// Every 5xx problem, as it is written, handed to the error log (<c>operations.error_logs</c>, <c>GET /internal/errors</c>):
/// status, problem type, the route, request and trace ids, the account, and the exception (secrets masked) for the operator. Queued,
/// never awaited: recording an error cannot slow or fail the answer.
/// </summary>
public static class ServerErrorLog
{
    private static readonly object Recorded = new();

    public static void Record(HttpContext http, ProblemDetails problem, Exception? exception)
    {
        if (problem.Status is not >= 500 || http.Items.ContainsKey(Recorded))
        {
            return;
        }
        http.Items[Recorded] = true;
        var services = http.RequestServices;
        var user = services.GetService<ICurrentUser>() is { IsAuthenticated: true } current ? current.Id : (Domain.Common.UserId?)null;
        var slug = problem.Type is { } type && type.StartsWith(ErrorCatalog.TypeBase, StringComparison.Ordinal) ? type[ErrorCatalog.TypeBase.Length..] : "internal-error";
        var error = ErrorLog.Record(services.GetRequiredService<TimeProvider>().GetUtcNow(), problem.Status.Value, slug, problem.Title ?? slug, problem.Detail,
            RouteNames.MethodOf(http.Request.Method), RouteNames.Describe(RouteNames.EndpointOf(http)) is var route && route != RouteNames.Unmatched ? route : null,
            http.Request.Path.Value ?? "/", http.TraceIdentifier, problem.Extensions.TryGetValue("trace_id", out var trace) ? trace?.ToString() : null,
            user, exception?.GetType().FullName, Masked(exception?.Message), Masked(exception?.ToString()), services.GetRequiredService<IInstanceName>().Value);
        services.GetRequiredService<IErrorLogQueue>().TryAdd(error);
    }

    /// <summary>As the logs and Sentry get it: tokens, API keys and e-mail addresses an exception's text may carry are masked.</summary>
    private static string? Masked(string? text) => text is null ? null : Http.SensitiveDataMasking.MaskText(text);
}
