using System.Security.Claims;
using System.Text.Encodings.Web;
using Microsoft.AspNetCore.Authentication;
using Microsoft.Extensions.Options;
using RenderOwl.Api.Http;
using RenderOwl.Application.Common.Abstractions;
using RenderOwl.Application.Common.Errors;
using RenderOwl.Domain.Common;
using RenderOwl.Domain.Identity;

namespace RenderOwl.Api.Auth;

/// <summary>Authenticates <c>X-API-Key: rok_…</c> or <c>Authorization: Bearer rok_…</c>.</summary>
public sealed class ApiKeyAuthenticationHandler(
    IOptionsMonitor<AuthenticationSchemeOptions> options, ILoggerFactory logger, UrlEncoder encoder,
    IApiKeyAuthenticator keys, IApiKeyUsage usage)
    : AuthenticationHandler<AuthenticationSchemeOptions>(options, logger, encoder)
{
    public const string SchemeName = "ApiKey";

    public const string HeaderName = "X-API-Key";

    public static string? PresentedKey(HttpRequest request)
    {
        if (request.Headers.TryGetValue(HeaderName, out var header) && header.Count > 0)
        {
            return header.ToString().Trim();
        }
        var authorization = request.Headers.Authorization.ToString();
        return authorization.StartsWith("Bearer rok_", StringComparison.Ordinal) ? authorization["Bearer ".Length..].Trim() : null;
    }

    protected override async Task<AuthenticateResult> HandleAuthenticateAsync()
    {
        var presented = PresentedKey(Request);
        if (presented is null)
        {
            return AuthenticateResult.NoResult();
        }
        var principal = await keys.FindAsync(presented, Context.RequestAborted);
        if (principal is null)
        {
            return AuthenticateResult.Fail("Unknown or revoked API key.");
        }
        usage.Touch(principal.KeyId);
        var identity = new ClaimsIdentity(
        [
            new Claim("sub", TypedId.Format(new UserId(principal.UserId))),
            new Claim("role", principal.Role.ToString().ToLowerInvariant()),
            new Claim("tier", principal.Tier.ToString().ToLowerInvariant()),
            new Claim("key_id", TypedId.Format(new ApiKeyId(principal.KeyId))),
            new Claim("mode", principal.Mode == ApiKeyMode.Test ? "test" : "live"),
        ], SchemeName, "sub", "role");
        return AuthenticateResult.Success(new AuthenticationTicket(new ClaimsPrincipal(identity), SchemeName));
    }

    protected override async Task HandleChallengeAsync(AuthenticationProperties properties)
    {
        Response.Headers.WWWAuthenticate = "Bearer realm=\"renderowl\", error=\"invalid_token\"";
        await Problems.WriteAsync(Context, ErrorCatalog.Unauthorized, "The API key is unknown or revoked.");
    }

    protected override Task HandleForbiddenAsync(AuthenticationProperties properties)
        => Problems.WriteAsync(Context, ErrorCatalog.Forbidden, "Your account may not use this operation.").AsTask();
}
