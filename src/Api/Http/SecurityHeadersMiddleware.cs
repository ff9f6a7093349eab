namespace RenderOwl.Api.Http;

/// <summary>Security headers on every response, errors included. The interactive pages (/docs, /hangfire) get a CSP that lets them run.</summary>
public sealed class SecurityHeadersMiddleware(RequestDelegate next)
{
    private const string ApiPolicy = "default-src 'none'; frame-ancestors 'none'";
    private const string PagePolicy = "default-src 'self'; script-src 'self' 'unsafe-inline'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; font-src 'self' data:; connect-src 'self'; frame-ancestors 'none'";

    public Task InvokeAsync(HttpContext http)
    {
        var isPage = OperationalRoutes.IsPage(http.Request.Path);
        http.Response.OnStarting(() =>
        {
            var h = http.Response.Headers;
            h.StrictTransportSecurity = "max-age=31536000; includeSubDomains";
            h.XContentTypeOptions = "nosniff";
            h.XFrameOptions = "DENY";
            h["Referrer-Policy"] = "strict-origin-when-cross-origin";
            h.ContentSecurityPolicy = isPage ? PagePolicy : ApiPolicy;
            h["Cross-Origin-Opener-Policy"] = "same-origin";
            h["Cross-Origin-Resource-Policy"] = "same-site";
            return Task.CompletedTask;
        });
        return next(http);
    }
}
