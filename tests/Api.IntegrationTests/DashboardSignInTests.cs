using System.Net;
using System.Text.RegularExpressions;
using Mediator;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.DependencyInjection;
using RenderOwl.Api.IntegrationTests.Infrastructure;

namespace RenderOwl.Api.IntegrationTests;

/// <summary>The jobs dashboard in a browser: a sign-in page with a CSRF token, a cookie for admins only and for /hangfire only.</summary>
public sealed partial class DashboardSignInTests(ApiFixture fixture) : ApiTest(fixture)
{
    [GeneratedRegex("name=\"csrf\" value=\"([^\"]+)\"")]
    private static partial Regex CsrfField();

    /// <summary>A browser: keeps cookies, does not follow redirects (the test looks at each one).</summary>
    private static HttpClient Browser(WebApplicationFactory<Program> factory)
    {
        var client = factory.CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false, HandleCookies = true, BaseAddress = new Uri("http://localhost") });
        client.DefaultRequestHeaders.Accept.ParseAdd("text/html,application/xhtml+xml");
        return client;
    }

    private static async Task<HttpResponseMessage> SignInAsync(HttpClient browser, string email, string password, bool withCsrf = true)
    {
        var page = await browser.GetAsync("/hangfire/login");
        Assert.Equal(HttpStatusCode.OK, page.StatusCode);
        var csrf = CsrfField().Match(await page.Content.ReadAsStringAsync()).Groups[1].Value;
        var form = new Dictionary<string, string> { ["email"] = email, ["password"] = password };
        if (withCsrf)
        {
            form["csrf"] = WebUtility.HtmlDecode(csrf);
        }
        return await browser.PostAsync("/hangfire/login?return=%2Fhangfire%2Frecurring", new FormUrlEncodedContent(form));
    }

    private async Task<(string Email, string Password)> AdminAsync()
    {
        var admin = await this.RegisterUserAsync(Anonymous);
        await using var scope = Fixture.Factory.Services.CreateAsyncScope();
        await scope.ServiceProvider.GetRequiredService<ISender>().Send(new RenderOwl.Application.Identity.Accounts.PromoteToAdminCommand(admin.Email));
        return (admin.Email, admin.Password);
    }

    [Fact]
    public async Task An_admin_signs_in_sees_the_recurring_jobs_and_signs_out()
    {
        await using var worker = Fixture.CreateFactory(Renders.Worker); // registers the recurring jobs
        var browser = Browser(worker);
        var redirect = await browser.GetAsync("/hangfire");
        Assert.Equal(HttpStatusCode.Redirect, redirect.StatusCode);
        Assert.Equal("/hangfire/login?return=%2Fhangfire", redirect.Headers.Location!.OriginalString);

        var page = await browser.GetAsync("/hangfire/login");
        Assert.Equal("text/html", page.Content.Headers.ContentType!.MediaType);
        var csrfCookie = page.Headers.GetValues("Set-Cookie").Single(c => c.StartsWith("renderowl_dashboard_csrf=", StringComparison.Ordinal));
        Assert.Contains("path=/hangfire", csrfCookie, StringComparison.OrdinalIgnoreCase);
        Assert.Contains("samesite=strict", csrfCookie, StringComparison.OrdinalIgnoreCase);

        var (email, password) = await AdminAsync();
        var signedIn = await SignInAsync(browser, email, password);
        Assert.Equal(HttpStatusCode.Redirect, signedIn.StatusCode);
        Assert.Equal("/hangfire/recurring", signedIn.Headers.Location!.OriginalString);
        var cookie = signedIn.Headers.GetValues("Set-Cookie").Single(c => c.StartsWith("renderowl_dashboard=", StringComparison.Ordinal));
        foreach (var attribute in new[] { "path=/hangfire", "httponly", "samesite=strict", "expires=" })
        {
            Assert.Contains(attribute, cookie, StringComparison.OrdinalIgnoreCase);
        }

        var recurring = await browser.GetAsync("/hangfire/recurring");
        Assert.Equal(HttpStatusCode.OK, recurring.StatusCode);
        var html = await recurring.Content.ReadAsStringAsync();
        foreach (var job in new[] { "purge-idempotency-keys", "retention", "analytics-rollup", "sweep-webhook-deliveries", "warm-cache" })
        {
            Assert.Contains(job, html, StringComparison.Ordinal);
        }
        Assert.Equal(HttpStatusCode.OK, (await browser.GetAsync("/hangfire/jobs/succeeded")).StatusCode);

        // The cookie is the dashboard's only: the API does not take it.
        var api = worker.CreateClient();
        api.DefaultRequestHeaders.Add("Cookie", cookie.Split(';')[0]);
        await (await api.GetAsync("/v1/me")).AssertProblemAsync(HttpStatusCode.Unauthorized, "unauthorized");

        // Sign out: the menu's link, then its form with the CSRF token; the dashboard asks for a sign-in again.
        Assert.Contains("href=\"/hangfire/logout\"", html, StringComparison.Ordinal);
        var dashboardPage = await browser.GetAsync("/hangfire/logout");
        var csrf = WebUtility.HtmlDecode(CsrfField().Match(await dashboardPage.Content.ReadAsStringAsync()).Groups[1].Value);
        var signedOut = await browser.PostAsync("/hangfire/logout", new FormUrlEncodedContent(new Dictionary<string, string> { ["csrf"] = csrf }));
        Assert.Equal(HttpStatusCode.Redirect, signedOut.StatusCode);
        Assert.Equal(HttpStatusCode.Redirect, (await browser.GetAsync("/hangfire/recurring")).StatusCode);
    }

    [Fact]
    public async Task A_user_is_refused_a_wrong_password_is_401_no_csrf_is_400_and_repeated_failures_are_throttled()
    {
        // The failed-login limit on (5 in 15 min); the per-address request limit wide enough for the pages this test loads.
        await using var limited = Fixture.CreateFactory(new Dictionary<string, string?>
        {
            ["RateLimiting:Enabled"] = "true", ["RateLimiting:Anonymous:RequestsPerMinute"] = "1000", ["RateLimiting:Anonymous:Burst"] = "200",
        });
        var browser = Browser(limited);
        var user = await this.RegisterUserAsync(Anonymous);
        var refused = await SignInAsync(browser, user.Email, user.Password);
        Assert.True(refused.StatusCode == HttpStatusCode.Forbidden, $"{refused.StatusCode}: {await refused.Content.ReadAsStringAsync()}");
        Assert.Contains("Only an administrator", await refused.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.DoesNotContain(refused.Headers.TryGetValues("Set-Cookie", out var set) ? set : [], c => c.StartsWith("renderowl_dashboard=", StringComparison.Ordinal));

        var (email, password) = await AdminAsync();
        Assert.Equal(HttpStatusCode.BadRequest, (await SignInAsync(browser, email, password, withCsrf: false)).StatusCode);
        var statuses = new List<HttpStatusCode>();
        for (var i = 0; i < 7; i++)
        {
            statuses.Add((await SignInAsync(browser, email, "not the password")).StatusCode);
        }
        Assert.Equal(Enumerable.Repeat(HttpStatusCode.Unauthorized, 5), statuses.Take(5)); // the API login's throttle: 5 failures …
        Assert.Equal(HttpStatusCode.TooManyRequests, statuses[5]);                           // … then 429
        Assert.Equal(HttpStatusCode.TooManyRequests, (await SignInAsync(browser, email, password)).StatusCode); // while blocked, even the right password
    }

    [Fact]
    public async Task An_admin_demoted_after_signing_in_is_out_at_the_next_request()
    {
        var browser = Browser(Fixture.Factory);
        var (email, password) = await AdminAsync();
        Assert.Equal(HttpStatusCode.Redirect, (await SignInAsync(browser, email, password)).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await browser.GetAsync("/hangfire")).StatusCode);
        await using (var connection = new Npgsql.NpgsqlConnection(Fixture.ConnectionString))
        {
            await connection.OpenAsync();
            await using var command = new Npgsql.NpgsqlCommand($"UPDATE identity.users SET role = 'User' WHERE email = '{email.ToLowerInvariant()}'", connection);
            Assert.Equal(1, await command.ExecuteNonQueryAsync());
        }
        Assert.Equal(HttpStatusCode.Redirect, (await browser.GetAsync("/hangfire")).StatusCode);
    }
}
