using System.Net;
using Mediator;
using Microsoft.AspNetCore.Antiforgery;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using RenderOwl.Api.Auth;
using RenderOwl.Application.Common.Errors;
using RenderOwl.Application.Identity;

namespace RenderOwl.Api.Dashboard;

/// <summary>
/// The jobs dashboard's sign-in page and sign-out, server-rendered for a browser: an e-mail and password form with a
/// CSRF token, checked like the API's login (the failed-login throttle included); an admin gets the dashboard cookie.
/// </summary>
[ApiController]
[ApiExplorerSettings(IgnoreApi = true)]
[AllowAnonymous]
public sealed class DashboardSignInController(ISender sender, IAntiforgery antiforgery) : ControllerBase
{
    [HttpGet(DashboardCookie.LoginPath)]
    public IActionResult Login([FromQuery(Name = "return")] string? returnTo) => Page(HttpStatusCode.OK, null, returnTo);

    [HttpPost(DashboardCookie.LoginPath)]
    [Consumes("application/x-www-form-urlencoded")]
    public async Task<IActionResult> SignIn([FromQuery(Name = "return")] string? returnTo, CancellationToken ct)
    {
        try
        {
            await antiforgery.ValidateRequestAsync(HttpContext);
        }
        catch (AntiforgeryValidationException)
        {
            return Page(HttpStatusCode.BadRequest, "The form expired. Please sign in again.", returnTo);
        }
        try
        {
            var form = await Request.ReadFormAsync(ct);
            var who = await sender.Send(new DashboardSignInCommand(form["email"].ToString(), form["password"].ToString()), ct);
            await HttpContext.SignInAsync(Policies.DashboardScheme, DashboardCookie.Principal(who), new AuthenticationProperties { IsPersistent = true });
            return Redirect(SafeReturn(returnTo));
        }
        catch (RateLimitedException ex)
        {
            Response.Headers.RetryAfter = ((int)Math.Ceiling(ex.RetryAfter.TotalSeconds)).ToString(System.Globalization.CultureInfo.InvariantCulture);
            return Page(HttpStatusCode.TooManyRequests, "Too many failed sign-ins. Wait a while before trying again.", returnTo);
        }
        catch (ForbiddenException)
        {
            return Page(HttpStatusCode.Forbidden, "Your account may not use the jobs dashboard.", returnTo);
        }
        catch (AppException ex) when (ex is UnauthorizedException or ValidationFailedException)
        {
            return Page(HttpStatusCode.Unauthorized, "The e-mail address or password is wrong.", returnTo);
        }
    }

    /// <summary>The dashboard menu's "Sign out": a one-button form (a sign-out is a POST with the CSRF token, never a link).</summary>
    [HttpGet("/hangfire/logout")]
    public IActionResult SignOutPage()
    {
        var tokens = antiforgery.GetAndStoreTokens(HttpContext);
        Response.Headers.CacheControl = "no-store";
        return new ContentResult
        {
            ContentType = "text/html; charset=utf-8",
            Content = $$"""
                <!doctype html>
                <html lang="en"><head><meta charset="utf-8"><title>Sign out — RenderOwl jobs</title>
                <style>body{font-family:system-ui,sans-serif;max-width:22rem;margin:4rem auto;padding:0 1rem}</style></head>
                <body><h1>RenderOwl jobs</h1><form method="post" action="/hangfire/logout">
                <input type="hidden" name="{{WebUtility.HtmlEncode(tokens.FormFieldName)}}" value="{{WebUtility.HtmlEncode(tokens.RequestToken)}}">
                <button type="submit">Sign out</button> <a href="/hangfire">Back to the dashboard</a></form></body></html>
                """,
        };
    }

    [HttpPost("/hangfire/logout")]
    [Consumes("application/x-www-form-urlencoded")]
    public async Task<IActionResult> SignOut(CancellationToken ct)
    {
        try
        {
            await antiforgery.ValidateRequestAsync(HttpContext);
        }
        catch (AntiforgeryValidationException)
        {
            return Page(HttpStatusCode.BadRequest, "The form expired.", null);
        }
        await HttpContext.SignOutAsync(Policies.DashboardScheme);
        return Redirect(DashboardCookie.LoginPath);
    }

    /// <summary>Back to a dashboard page only: never to another site (an open redirect).</summary>
    private static string SafeReturn(string? returnTo)
        => returnTo is { Length: > 0 } r && r.StartsWith(DashboardCookie.Path, StringComparison.Ordinal) && !r.StartsWith("//", StringComparison.Ordinal)
           && Uri.IsWellFormedUriString(r, UriKind.Relative) ? r : DashboardCookie.Path;

    private ContentResult Page(HttpStatusCode status, string? error, string? returnTo)
    {
        var tokens = antiforgery.GetAndStoreTokens(HttpContext);
        var action = DashboardCookie.LoginPath + (returnTo is { Length: > 0 } ? "?return=" + WebUtility.UrlEncode(SafeReturn(returnTo)) : "");
        var alert = error is null ? "" : $"<p class=\"error\" role=\"alert\">{WebUtility.HtmlEncode(error)}</p>";
        var html = $$"""
            <!doctype html>
            <html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
            <title>Sign in — RenderOwl jobs</title>
            <style>body{font-family:system-ui,sans-serif;max-width:22rem;margin:4rem auto;padding:0 1rem}label{display:block;margin:.8rem 0 .2rem}
            input{width:100%;padding:.4rem;box-sizing:border-box}button{margin-top:1rem;padding:.5rem 1rem}.error{color:#b00020}</style></head>
            <body><h1>RenderOwl jobs</h1><p>Sign in with an administrator's account.</p>
            {{alert}}
            <form method="post" action="{{WebUtility.HtmlEncode(action)}}">
            <input type="hidden" name="{{WebUtility.HtmlEncode(tokens.FormFieldName)}}" value="{{WebUtility.HtmlEncode(tokens.RequestToken)}}">
            <label for="email">E-mail</label><input id="email" name="email" type="email" autocomplete="username" required>
            <label for="password">Password</label><input id="password" name="password" type="password" autocomplete="current-password" required>
            <button type="submit">Sign in</button></form></body></html>
            """;
        Response.Headers.CacheControl = "no-store";
        return new ContentResult { StatusCode = (int)status, ContentType = "text/html; charset=utf-8", Content = html };
    }
}
