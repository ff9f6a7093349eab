using Microsoft.AspNetCore.Authentication.JwtBearer;
using Microsoft.Extensions.Options;
using RenderOwl.Api.Http;
using RenderOwl.Application.Common.Abstractions;
using RenderOwl.Application.Common.Errors;
using RenderOwl.Domain.Common;
using RenderOwl.Domain.Identity;
using RenderOwl.Infrastructure.Security;

namespace RenderOwl.Api.Auth;

public static class AuthSetup
{
    public const string AdminPolicy = "admin";
    public const string CredentialsScheme = "Credentials";

    public static IServiceCollection AddApiAuthentication(this IServiceCollection services)
    {
        // One default scheme that forwards to the API-key handler when a key is presented, else to JWT bearer.
        services.AddAuthentication(CredentialsScheme)
            .AddPolicyScheme(CredentialsScheme, "JWT or API key", o => o.ForwardDefaultSelector = http =>
                ApiKeyAuthenticationHandler.PresentedKey(http.Request) is not null ? ApiKeyAuthenticationHandler.SchemeName : JwtBearerDefaults.AuthenticationScheme)
            .AddJwtBearer()
            .AddScheme<Microsoft.AspNetCore.Authentication.AuthenticationSchemeOptions, ApiKeyAuthenticationHandler>(ApiKeyAuthenticationHandler.SchemeName, null);
        services.AddOptions<JwtBearerOptions>(JwtBearerDefaults.AuthenticationScheme)
            .Configure<IOptions<JwtOptions>>((o, jwt) =>
            {
                o.MapInboundClaims = false;
                o.TokenValidationParameters = TokenService.ValidationParameters(jwt.Value);
                o.Events = new JwtBearerEvents
                {
                    // A token of an ended session (logout, or a family revoked for refresh-token reuse) is refused at once.
                    OnTokenValidated = async ctx =>
                    {
                        if (!Guid.TryParseExact(ctx.Principal?.FindFirst("sid")?.Value, "N", out var session)
                            || await ctx.HttpContext.RequestServices.GetRequiredService<ISessionRevocations>().IsEndedAsync(session, ctx.HttpContext.RequestAborted))
                        {
                            ctx.Fail("The session of this access token has ended.");
                        }
                    },
                    OnChallenge = async ctx =>
                    {
                        ctx.HandleResponse();
                        var invalid = ctx.AuthenticateFailure is not null;
                        ctx.Response.Headers.WWWAuthenticate = invalid
                            ? "Bearer realm=\"renderowl\", error=\"invalid_token\""
                            : "Bearer realm=\"renderowl\"";
                        await Problems.WriteAsync(ctx.HttpContext, ErrorCatalog.Unauthorized,
                            invalid ? "The access token is invalid or expired." : "Send an access token: Authorization: Bearer <token>.");
                    },
                    OnForbidden = ctx => Problems.WriteAsync(ctx.HttpContext, ErrorCatalog.Forbidden, "Your account may not use this operation.").AsTask(),
                };
            });
        services.AddAuthorizationBuilder()
            .SetFallbackPolicy(new Microsoft.AspNetCore.Authorization.AuthorizationPolicyBuilder().RequireAuthenticatedUser().Build())
            .AddPolicy(AdminPolicy, p => p.RequireAuthenticatedUser().RequireRole("admin"));
        services.AddHttpContextAccessor();
        services.AddScoped<ICurrentUser, CurrentUser>();
        services.AddScoped<IClientInfo, ClientInfo>();
        return services;
    }
}

public sealed class CurrentUser(IHttpContextAccessor accessor) : ICurrentUser
{
    public bool IsAuthenticated => accessor.HttpContext?.User.Identity?.IsAuthenticated == true;

    public UserId Id => TypedId.TryParse<UserId>(accessor.HttpContext?.User.FindFirst("sub")?.Value, out var id)
        ? id
        : throw new AppException(ErrorCatalog.Unauthorized, "This operation needs an authenticated account.");

    public Role Role => accessor.HttpContext?.User.IsInRole("admin") == true ? Role.Admin : Role.User;

    public Tier Tier => Enum.TryParse<Tier>(accessor.HttpContext?.User.FindFirst("tier")?.Value, ignoreCase: true, out var tier) ? tier : Tier.Free;

    public ApiKeyMode Mode => accessor.HttpContext?.User.FindFirst("mode")?.Value == "test" ? ApiKeyMode.Test : ApiKeyMode.Live;

    public ApiKeyId? ApiKeyId => TypedId.TryParse<ApiKeyId>(accessor.HttpContext?.User.FindFirst("key_id")?.Value, out var id) ? id : null;

    public DateTimeOffset? AuthenticatedAt
        => ApiKeyId is null && long.TryParse(accessor.HttpContext?.User.FindFirst("auth_time")?.Value, System.Globalization.NumberStyles.Integer, System.Globalization.CultureInfo.InvariantCulture, out var seconds)
            ? DateTimeOffset.FromUnixTimeSeconds(seconds)
            : null;
}

public sealed class ClientInfo(IHttpContextAccessor accessor) : IClientInfo
{
    public string IpAddress => Address(accessor.HttpContext);

    public static string Address(HttpContext? http) => http?.Connection.RemoteIpAddress?.ToString() ?? "unknown";
}
