using Microsoft.AspNetCore.Authentication.JwtBearer;
using Microsoft.Extensions.Options;
using RenderOwl.Api.Auth;
using RenderOwl.Api.Http;
using RenderOwl.Application.Common.Abstractions;
using RenderOwl.Application.Common.Errors;
using RenderOwl.Application.Identity;
using RenderOwl.Infrastructure.Security;

namespace RenderOwl.Api.Composition;

/// <summary>Who may call: JWT sessions or API keys behind one default scheme, ended sessions refused, admin-only routes, the caller for the use cases.</summary>
public static class ApiSecuritySetup
{
    public const string CredentialsScheme = "Credentials";

    public static IServiceCollection AddApiSecurity(this IServiceCollection services)
    {
        // One default scheme that forwards to the API-key handler when a key is presented, else to JWT bearer.
        services.AddAuthentication(CredentialsScheme)
            .AddPolicyScheme(CredentialsScheme, "JWT or API key", o => o.ForwardDefaultSelector = http =>
                ApiKeyAuthenticationHandler.PresentedKey(http.Request) is not null ? ApiKeyAuthenticationHandler.SchemeName : JwtBearerDefaults.AuthenticationScheme)
            .AddJwtBearer()
            .AddScheme<Microsoft.AspNetCore.Authentication.AuthenticationSchemeOptions, ApiKeyAuthenticationHandler>(ApiKeyAuthenticationHandler.SchemeName, null)
            .AddCookie(Policies.DashboardScheme, DashboardCookie.Configure);
        services.AddAntiforgery(o =>
        {
            o.Cookie.Name = "renderowl_dashboard_csrf";
            o.Cookie.Path = "/hangfire";
            o.Cookie.SameSite = SameSiteMode.Strict;
            o.Cookie.SecurePolicy = CookieSecurePolicy.SameAsRequest;
            o.FormFieldName = "csrf";
        });
        services.AddOptions<JwtBearerOptions>(JwtBearerDefaults.AuthenticationScheme)
            .Configure<IOptions<JwtOptions>>((o, jwt) =>
            {
                o.MapInboundClaims = false;
                o.TokenValidationParameters = TokenService.ValidationParameters(jwt.Value);
                o.Events = new JwtBearerEvents
                {
                    // A token of an ended session (logout, or a family revoked for refresh-token reuse) is refused at once;
                    // tier and role are the account's as of now (cached), not as of when the token was issued.
                    OnTokenValidated = async ctx =>
                    {
                        if (!Guid.TryParseExact(ctx.Principal?.FindFirst("sid")?.Value, "N", out var session)
                            || await ctx.HttpContext.RequestServices.GetRequiredService<ISessionRevocations>().IsEndedAsync(session, ctx.HttpContext.RequestAborted))
                        {
                            ctx.Fail("The session of this access token has ended.");
                            return;
                        }
                        if (!await SessionAccount.ApplyAsync(ctx))
                        {
                            ctx.Fail("The account of this access token no longer exists.");
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
            .AddPolicy(Policies.Admin, p => p.RequireAuthenticatedUser().RequireRole("admin"))
            .AddPolicy(Policies.Dashboard, p => p.AddAuthenticationSchemes(Policies.DashboardScheme).RequireAuthenticatedUser().RequireClaim(DashboardCookie.AccessClaim));
        services.AddOptions<DashboardAccessOptions>()
            .BindConfiguration("Hangfire")
            .Validate(o => { try { o.ReadOnlyRoleValue(); return true; } catch (InvalidOperationException) { return false; } },
                "Hangfire:ReadOnlyRole must be 'operator', 'admin' or empty.")
            .ValidateOnStart();
        services.AddHttpContextAccessor();
        services.AddScoped<ICurrentUser, CurrentUser>();
        services.AddScoped<IClientInfo, ClientInfo>();
        services.AddScoped<IRequestBudget, Http.RequestBudgetAccessor>();
        return services;
    }
}
