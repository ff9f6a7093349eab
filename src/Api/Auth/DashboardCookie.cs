using System.Security.Claims;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;
using RenderOwl.Application.Identity;
using RenderOwl.Domain.Common;

namespace RenderOwl.Api.Auth;

/// <summary>
/// The jobs dashboard's session: an HttpOnly cookie, Secure over HTTPS, SameSite=Strict, for <c>/hangfire</c> only (the
/// browser never sends it to the API, so it adds no CSRF surface there), 8 hours sliding. Without it a page redirects to
/// <c>/hangfire/login</c>. The cookie names the access the account had at sign-in (full for an admin, read-only for the
/// role of <c>Hangfire:ReadOnlyRole</c>); an account whose access has changed since (demoted, promoted, deleted) is
/// signed out on its next request.
/// </summary>
public static class DashboardCookie
{
    public const string Path = "/hangfire";
    public const string LoginPath = "/hangfire/login";

    /// <summary>The claim that holds the session's access: <c>full</c> or <c>read-only</c>.</summary>
    public const string AccessClaim = "dashboard_access";
    public const string Full = "full";
    public const string ReadOnly = "read-only";

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

    /// <summary>The account is read again on each dashboard request: one demoted, promoted or deleted since signing in is out at once.</summary>
    private static async Task ValidateAsync(CookieValidatePrincipalContext ctx)
    {
        if (!Guid.TryParse(ctx.Principal?.FindFirstValue(ClaimTypes.NameIdentifier), out var id))
        {
            ctx.RejectPrincipal();
            return;
        }
        var sender = ctx.HttpContext.RequestServices.GetRequiredService<Mediator.ISender>();
        var now = await sender.Send(new DashboardAccessQuery(new UserId(id)), ctx.HttpContext.RequestAborted);
        if (now == DashboardAccess.None || Claim(now) != ctx.Principal!.FindFirstValue(AccessClaim))
        {
            ctx.RejectPrincipal();
            await ctx.HttpContext.SignOutAsync(Policies.DashboardScheme);
        }
    }

    public static ClaimsPrincipal Principal(DashboardOperator who)
        => new(new ClaimsIdentity(
            [new Claim(ClaimTypes.NameIdentifier, who.Id.Value.ToString()), new Claim(ClaimTypes.Name, who.Email), new Claim(AccessClaim, Claim(who.Access))],
            Policies.DashboardScheme, ClaimTypes.Name, ClaimTypes.Role));

    /// <summary>Whether this dashboard request may only look (Hangfire hides its buttons and refuses its commands).</summary>
    public static bool IsReadOnly(ClaimsPrincipal user) => user.FindFirstValue(AccessClaim) != Full;

    private static string Claim(DashboardAccess access) => access == DashboardAccess.Full ? Full : ReadOnly;
}
