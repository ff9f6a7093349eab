using System.Net;
using System.Net.Http.Json;
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
        Assert.Contains("may not use the jobs dashboard", await refused.Content.ReadAsStringAsync(), StringComparison.Ordinal);
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

    [Fact]
    public async Task With_a_read_only_role_an_operator_sees_the_jobs_but_cannot_trigger_one_and_admins_still_can()
    {
        await using var worker = Fixture.CreateFactory(Renders.Worker.Concat([new KeyValuePair<string, string?>("Hangfire:ReadOnlyRole", "operator")]).ToDictionary());
        var (adminEmail, adminPassword) = await AdminAsync();
        var login = await (await worker.CreateClient().PostAsJsonAsync("/v1/auth/login", new { email = adminEmail, password = adminPassword })).ReadJsonAsync();
        var admin = worker.CreateClient();
        admin.DefaultRequestHeaders.Authorization = new("Bearer", login["access_token"]!.GetValue<string>());
        var account = await this.RegisterUserAsync(Anonymous);
        var patched = await admin.PatchAsJsonAsync($"/internal/accounts/{account.UserId}", new { role = "operator" }); // how an admin makes an operator
        Assert.Equal(HttpStatusCode.OK, patched.StatusCode);
        Assert.Equal("operator", (await patched.ReadJsonAsync())["role"]!.GetValue<string>());
        await (await account.Client.GetAsync("/internal/queues")).AssertProblemAsync(HttpStatusCode.Forbidden, "forbidden"); // a user in the API

        var operatorBrowser = Browser(worker);
        Assert.Equal(HttpStatusCode.Redirect, (await SignInAsync(operatorBrowser, account.Email, account.Password)).StatusCode);
        var page = await (await operatorBrowser.GetAsync("/hangfire/recurring")).Content.ReadAsStringAsync();
        Assert.Contains("retention", page, StringComparison.Ordinal);
        Assert.DoesNotContain("data-url=\"/hangfire/recurring/trigger\"", page, StringComparison.Ordinal); // no "Trigger now"
        var before = await EnqueuedRetentionJobsAsync();
        var trigger = await TriggerRetentionAsync(operatorBrowser, page);
        Assert.False(trigger.IsSuccessStatusCode, $"a read-only session triggered a job: {trigger.StatusCode}");
        Assert.Equal(before, await EnqueuedRetentionJobsAsync());

        var adminBrowser = Browser(worker);
        Assert.Equal(HttpStatusCode.Redirect, (await SignInAsync(adminBrowser, adminEmail, adminPassword)).StatusCode);
        var adminPage = await (await adminBrowser.GetAsync("/hangfire/recurring")).Content.ReadAsStringAsync();
        Assert.Contains("data-url=\"/hangfire/recurring/trigger\"", adminPage, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.NoContent, (await TriggerRetentionAsync(adminBrowser, adminPage)).StatusCode);
        Assert.Equal(before + 1, await EnqueuedRetentionJobsAsync());

        // Made an admin since signing in: the operator's read-only session ends (it does not quietly become a full one).
        Assert.Equal(HttpStatusCode.OK, (await admin.PatchAsJsonAsync($"/internal/accounts/{account.UserId}", new { role = "admin" })).StatusCode);
        Assert.Equal(HttpStatusCode.Redirect, (await operatorBrowser.GetAsync("/hangfire/recurring")).StatusCode);
    }

    /// <summary>"Trigger now" as the dashboard's script sends it: a form POST with the page's anti-forgery token in a header.</summary>
    private static async Task<HttpResponseMessage> TriggerRetentionAsync(HttpClient browser, string recurringPage)
    {
        var meta = DashboardCsrfMeta().Matches(recurringPage).ToDictionary(m => m.Groups[1].Value, m => WebUtility.HtmlDecode(m.Groups[2].Value));
        using var request = new HttpRequestMessage(HttpMethod.Post, "/hangfire/recurring/trigger")
        {
            Content = new FormUrlEncodedContent([new KeyValuePair<string, string>("jobs[]", "retention")]),
        };
        Assert.True(meta.ContainsKey("header") && meta.ContainsKey("token"), "the dashboard page carries no anti-forgery token");
        request.Headers.Add(meta["header"], meta["token"]);
        return await browser.SendAsync(request);
    }

    [GeneratedRegex("<meta name=\"csrf-(header|token)\" content=\"([^\"]+)\"")]
    private static partial Regex DashboardCsrfMeta();

    private async Task<long> EnqueuedRetentionJobsAsync()
    {
        await using var connection = new Npgsql.NpgsqlConnection(Fixture.ConnectionString);
        await connection.OpenAsync();
        await using var command = new Npgsql.NpgsqlCommand("SELECT count(*) FROM hangfire.job WHERE invocationdata::text LIKE '%RetentionJob%'", connection);
        return (long)(await command.ExecuteScalarAsync())!;
    }
}
