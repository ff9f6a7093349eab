using System.Globalization;
using System.Text.RegularExpressions;
using Microsoft.Extensions.Options;
using Microsoft.Net.Http.Headers;
using RenderOwl.Application.Common.Errors;

namespace RenderOwl.Api.Http;

public sealed class DeprecationPolicy
{
    public DateTimeOffset? DeprecatedAt { get; set; }
    public DateTimeOffset? Sunset { get; set; }
    public string? Link { get; set; }
}

/// <summary>
/// Canonical routes are /v{n}/…; the same route without the prefix takes its version from
/// <c>Accept: application/json;version=n</c>, then <c>API-Version</c>, then <c>?api-version=</c>, else the current one,
/// and is rewritten to the canonical path. Every response says which version answered.
/// </summary>
public sealed partial class ApiVersioningMiddleware(RequestDelegate next, IOptions<ApiVersioningOptions> options)
{
    public const string Header = "API-Version";
    private readonly ApiVersioningOptions _options = options.Value;

    [GeneratedRegex(@"^/v(\d{1,3})(?=/|$)", RegexOptions.CultureInvariant)]
    private static partial Regex VersionPrefix();

    public Task InvokeAsync(HttpContext http)
    {
        var path = http.Request.Path.Value ?? "/";
        int version;
        if (VersionPrefix().Match(path) is { Success: true } m)
        {
            version = int.Parse(m.Groups[1].Value, CultureInfo.InvariantCulture);
            if (!_options.Supported.Contains(version))
            {
                return Reject(http, m.Groups[1].Value);
            }
        }
        else if (OperationalRoutes.IsUnversioned(http.Request.Path))
        {
            version = _options.Current;
        }
        else
        {
            var requested = Requested(http.Request);
            if (requested is null)
            {
                version = _options.Current;
            }
            else if (!int.TryParse(requested, NumberStyles.None, CultureInfo.InvariantCulture, out version) || !_options.Supported.Contains(version))
            {
                return Reject(http, requested);
            }
            http.Request.Path = "/v" + version.ToString(CultureInfo.InvariantCulture) + (path == "/" ? "" : path);
        }

        var label = version.ToString(CultureInfo.InvariantCulture);
        _options.Deprecated.TryGetValue(label, out var deprecation);
        http.Response.OnStarting(() =>
        {
            var h = http.Response.Headers;
            h[Header] = label;
            if (deprecation is not null)
            {
                h["Deprecation"] = deprecation.DeprecatedAt is { } at ? "@" + at.ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture) : "true";
                if (deprecation.Sunset is { } sunset)
                {
                    h["Sunset"] = sunset.ToString("R", CultureInfo.InvariantCulture);
                }
                if (deprecation.Link is { Length: > 0 } link)
                {
                    h.Append("Link", $"<{link}>; rel=\"deprecation\"; type=\"text/html\"");
                }
            }
            return Task.CompletedTask;
        });
        return next(http);
    }

    private static string? Requested(HttpRequest request)
    {
        if (MediaTypeHeaderValue.TryParseList(request.Headers.Accept, out var accepts))
        {
            foreach (var accept in accepts)
            {
                var parameter = accept.Parameters.FirstOrDefault(p => p.Name.Equals("version", StringComparison.OrdinalIgnoreCase));
                if (parameter is not null)
                {
                    return parameter.Value.ToString().Trim('"');
                }
            }
        }
        if (request.Headers.TryGetValue(Header, out var header) && header.Count > 0)
        {
            return header.ToString();
        }
        return request.Query.TryGetValue("api-version", out var query) && query.Count > 0 ? query.ToString() : null;
    }

    private Task Reject(HttpContext http, string requested)
    {
        http.Response.OnStarting(() =>
        {
            http.Response.Headers[Header] = _options.Current.ToString(CultureInfo.InvariantCulture);
            return Task.CompletedTask;
        });
        var safe = requested.Length > 20 ? requested[..20] + "…" : requested;
        return Problems.WriteAsync(http, ErrorCatalog.UnsupportedApiVersion,
            $"API version '{safe}' is not served. Supported: {string.Join(", ", _options.Supported)}.").AsTask();
    }
}
