using Microsoft.AspNetCore.Diagnostics;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace RenderOwl.Infrastructure.Observability;

/// <summary>How a request's route is named in figures and logs: method and route template, e.g. <c>GET /v1/projects/{project_id}</c>.</summary>
public static class RouteNames
{
    public const string Unmatched = "(unmatched)";

    /// <summary>The endpoint that handled the request (the failed one, when the exception handler took over).</summary>
    public static Endpoint? EndpointOf(HttpContext http) => http.Features.Get<IExceptionHandlerPathFeature>()?.Endpoint ?? http.GetEndpoint();

    public static string Of(HttpContext http) => MethodOf(http.Request.Method) + " " + Describe(EndpointOf(http));

    public static string Describe(object? endpoint) => endpoint switch
    {
        RouteEndpoint { RoutePattern.RawText: { } raw } => raw.StartsWith('/') ? raw : "/" + raw,
        Endpoint { DisplayName: { } name } => name,
        _ => Unmatched,
    };

    /// <summary>The standard methods by name; any other token as OTHER, so a client cannot grow a table keyed by it.</summary>
    public static string MethodOf(string method)
        => HttpMethods.GetCanonicalizedValue(method) is var known && (HttpMethods.IsGet(known) || HttpMethods.IsPost(known) || HttpMethods.IsPut(known)
            || HttpMethods.IsPatch(known) || HttpMethods.IsDelete(known) || HttpMethods.IsHead(known) || HttpMethods.IsOptions(known))
            ? known : "OTHER";
}
