using System.Security.Claims;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;
using RenderOwl.Domain.Common;

namespace RenderOwl.Api.Auth;

/// <summary>
/// The jobs dashboard's session: an HttpOnly cookie, Secure over HTTPS, SameSite=Strict, for <c>/hangfire</c> only (the
/// browser never sends it to the API, so it adds no CSRF surface there), 8 hours sliding. Without it a page redirects to
/// <c>/hangfire/login</c>; a signed-in account that is no longer an admin (or no longer exists) is signed out on its next
/// request, and one that is not an admin gets 403.
/// </summary>
public static class DashboardCookie
{
    public const string Path = "/hangfire";
    public const string LoginPath = "/hangfire/login";

    public static void Configure(CookieAuthenticationOptions o)
    {
        o.Cookie.Name = "renderowl_dashboard";
        o.Cookie.Path = Path;
        o.Cookie.HttpOnly = true;
        o.Cookie.SameSite = SameSiteMode.Strict;
        o.Cookie.SecurePolicy = CookieSecurePolicy.SameAsRequest;
        o.ExpireTimeSpan = TimeSpan.FromHours(8);
        o.SlidingExpiration = true;
        o.LoginPath = LoginPath;
        o.ReturnUrlParameter = "return";
        // A relative redirect (right behind any proxy), back to the page asked for.
        o.Events.OnRedirectToLogin = ctx =>
        {
            ctx.Response.Redirect(LoginPath + "?return=" + Uri.EscapeDataString(ctx.Request.PathBase + ctx.Request.Path + ctx.Request.QueryString));
            return Task.CompletedTask;
        };
        o.Events.OnRedirectToAccessDenied = ctx =>
        {
            ctx.Response.StatusCode = StatusCodes.Status403Forbidden;
            return Task.CompletedTask;
        };
        o.Events.OnValidatePrincipal = ValidateAsync;
    }

    /// <summary>The account is read again on each dashboard request: an admin demoted or deleted since signing in is out at once.</summary>
    private static async Task ValidateAsync(CookieValidatePrincipalContext ctx)
    {
        if (!Guid.TryParse(ctx.Principal?.FindFirstValue(ClaimTypes.NameIdentifier), out var id))
        {
            ctx.RejectPrincipal();
            return;
        }
        var sender = ctx.HttpContext.RequestServices.GetRequiredService<Mediator.ISender>();
        if (!await sender.Send(new Application.Identity.IsDashboardOperatorQuery(new UserId(id)), ctx.HttpContext.RequestAborted))
        {
            ctx.RejectPrincipal();
            await ctx.HttpContext.SignOutAsync(Policies.DashboardScheme);
        }
    }

    public static ClaimsPrincipal Principal(Application.Identity.DashboardOperator who)
        => new(new ClaimsIdentity(
            [new Claim(ClaimTypes.NameIdentifier, who.Id.Value.ToString()), new Claim(ClaimTypes.Name, who.Email), new Claim(ClaimTypes.Role, who.Role)],
            Policies.DashboardScheme, ClaimTypes.Name, ClaimTypes.Role));
}
