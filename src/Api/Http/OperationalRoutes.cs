namespace RenderOwl.Api.Http;

/// <summary>The routes outside the versioned public API, named once: probes, operator pages, documents, internal endpoints.</summary>
public static class OperationalRoutes
{
    /// <summary>Probes and metrics: called by machines, often; never rate limited, never versioned.</summary>
    public static readonly string[] Probes = ["/live", "/ready", "/health", "/metrics"];

    /// <summary>HTML pages for people (API reference, job dashboard): they get a page-friendly CSP.</summary>
    public static readonly string[] Pages = ["/docs", "/scalar", "/hangfire"];

    /// <summary>The OpenAPI document.</summary>
    public static readonly string[] Documents = ["/openapi"];

    /// <summary>Admin endpoints (rate limited like any authenticated call, not versioned).</summary>
    public const string Internal = "/internal";

    public static bool IsPage(PathString path) => Under(path, Pages);

    /// <summary>Probes, the reference pages and the document are not rate limited (the job dashboard and internal endpoints are).</summary>
    public static bool IsRateLimitExempt(PathString path) => Under(path, Probes) || Under(path, Documents) || Under(path, ["/docs", "/scalar"]);

    public static bool IsUnversioned(PathString path)
        => Under(path, Probes) || Under(path, Pages) || Under(path, Documents) || path.StartsWithSegments(Internal) || path.StartsWithSegments("/favicon.ico");

    /// <summary>Admin-only by their path: the internal endpoints and the detailed health report.</summary>
    public static bool IsAdminOnly(string path) => path.StartsWith(Internal, StringComparison.Ordinal) || path.StartsWith("/health", StringComparison.Ordinal);

    private static bool Under(PathString path, string[] prefixes) => prefixes.Any(p => path.StartsWithSegments(p));
}
