using System.Net.Http.Json;
using System.Text.RegularExpressions;
using Mediator;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;
using RenderOwl.Api.IntegrationTests.Infrastructure;

namespace RenderOwl.Api.IntegrationTests;

/// <summary>
/// The pages operators and developers open in a browser, driven in a real Chromium against the API as a process of its
/// own: the jobs dashboard (sign-in, recurring jobs, a job's history, sign-out, a user refused) and the API reference
/// at <c>/docs</c> (rendered, and a request sent from it with an API key).
/// </summary>
public sealed partial class BrowserTests(ApiFixture fixture) : ApiTest(fixture)
{
    private static readonly string[] RecurringJobs =
        ["purge-idempotency-keys", "sweep-webhook-deliveries", "warm-cache", "analytics-rollup", "retention", "account-data-sweep"];

    [GeneratedRegex(@"/hangfire/jobs/details/\d+$")]
    private static partial Regex JobDetailsUrl();

    [Fact]
    public async Task An_admin_signs_in_sees_the_recurring_jobs_opens_a_jobs_history_and_signs_out_and_a_user_is_refused()
    {
        var port = ApiProcess.FreePort();
        using var api = ApiProcess.Start(Fixture.Settings(Renders.Worker), role: "all", port); // the worker part registers the recurring jobs
        await api.WaitUntilReadyAsync(port, TimeSpan.FromSeconds(60));
        var admin = await this.RegisterUserAsync(Anonymous);
        await using (var scope = Fixture.Factory.Services.CreateAsyncScope())
        {
            await scope.ServiceProvider.GetRequiredService<ISender>().Send(new Application.Identity.Accounts.PromoteToAdminCommand(admin.Email));
        }
        var user = await this.RegisterUserAsync(Anonymous);

        await using var chromium = await Chromium.LaunchAsync();
        var page = await chromium.NewPageAsync($"http://127.0.0.1:{port}");
        await Chromium.KeepEvidenceAsync(page, "dashboard-admin", async () =>
        {
            await page.GotoAsync("/hangfire");
            await Assertions.Expect(page).ToHaveURLAsync(new Regex(@"/hangfire/login\?return=%2Fhangfire$"));
            await page.GetByLabel("E-mail").FillAsync(admin.Email);
            await page.GetByLabel("Password").FillAsync(admin.Password);
            await page.GetByRole(AriaRole.Button, new() { Name = "Sign in" }).ClickAsync();
            await Assertions.Expect(page).ToHaveURLAsync(new Regex("/hangfire$"));
            await Assertions.Expect(page).ToHaveTitleAsync(new Regex("RenderOwl jobs"));

            await page.GetByRole(AriaRole.Link, new() { Name = "Recurring Jobs" }).ClickAsync();
            await Assertions.Expect(page).ToHaveURLAsync(new Regex("/hangfire/recurring$"));
            foreach (var job in RecurringJobs)
            {
                await Assertions.Expect(page.Locator("tr").Filter(new() { HasText = job }).First).ToBeVisibleAsync();
            }

            // Trigger one now, then open its history from the row's last execution.
            var row = page.Locator("tr").Filter(new() { Has = page.GetByText("warm-cache", new() { Exact = true }) });
            // The row may already link an earlier run (another test's worker shares the jobs database): wait for a new one.
            var lastExecution = row.Locator("a[href*='/hangfire/jobs/details/']");
            var earlier = await lastExecution.CountAsync() > 0 ? await lastExecution.First.GetAttributeAsync("href") : null;
            await row.Locator("input[type=checkbox]").CheckAsync();
            await page.GetByRole(AriaRole.Button, new() { Name = "Trigger now" }).ClickAsync();
            await Eventually.UntilAsync(async () =>
            {
                await page.ReloadAsync();
                return await lastExecution.CountAsync() > 0 && await lastExecution.First.GetAttributeAsync("href") != earlier;
            }, TimeSpan.FromSeconds(30), "the triggered job shows as the row's last execution");
            await lastExecution.First.ClickAsync();
            await Assertions.Expect(page).ToHaveURLAsync(JobDetailsUrl());
            await Eventually.UntilAsync(async () =>
            {
                await page.ReloadAsync();
                return await page.Locator("h4.state-card-title").Filter(new() { HasText = "Succeeded" }).CountAsync() > 0;
            }, TimeSpan.FromSeconds(30), "the job's history reaches Succeeded");
            await Assertions.Expect(page.Locator("h4.state-card-title").Filter(new() { HasText = "Enqueued" })).ToBeVisibleAsync();
            await Assertions.Expect(page.GetByText("RecurringJobId")).ToBeVisibleAsync();

            await page.GetByRole(AriaRole.Link, new() { Name = "Sign out" }).ClickAsync();
            await page.GetByRole(AriaRole.Button, new() { Name = "Sign out" }).ClickAsync();
            await Assertions.Expect(page).ToHaveURLAsync(new Regex("/hangfire/login$"));
            await page.GotoAsync("/hangfire/recurring");
            await Assertions.Expect(page).ToHaveURLAsync(new Regex(@"/hangfire/login\?return="));
        });

        var refused = await chromium.NewPageAsync($"http://127.0.0.1:{port}");
        await Chromium.KeepEvidenceAsync(refused, "dashboard-user", async () =>
        {
            await refused.GotoAsync("/hangfire/login");
            await refused.GetByLabel("E-mail").FillAsync(user.Email);
            await refused.GetByLabel("Password").FillAsync(user.Password);
            var answer = await refused.RunAndWaitForResponseAsync(
                () => refused.GetByRole(AriaRole.Button, new() { Name = "Sign in" }).ClickAsync(), r => r.Request.Method == "POST");
            Assert.Equal(403, answer.Status);
            await Assertions.Expect(refused.GetByRole(AriaRole.Alert)).ToHaveTextAsync("Your account may not use the jobs dashboard.");
            await refused.GotoAsync("/hangfire");
            await Assertions.Expect(refused).ToHaveURLAsync(new Regex("/hangfire/login"));
        });
    }

    [Fact]
    public async Task The_api_reference_renders_and_sends_GET_v1_me_with_an_api_key()
    {
        var port = ApiProcess.FreePort();
        using var api = ApiProcess.Start(Fixture.Settings(), role: "api", port);
        await api.WaitUntilReadyAsync(port, TimeSpan.FromSeconds(60));
        var session = await this.RegisterUserAsync(Anonymous);
        var created = await session.Client.PostAsJsonAsync("/v1/api-keys", new { name = "docs" });
        var key = (await created.ReadJsonAsync())["key"]!.GetValue<string>();

        await using var chromium = await Chromium.LaunchAsync();
        var page = await chromium.NewPageAsync($"http://127.0.0.1:{port}");
        var refusedByPolicy = new List<string>();
        page.Console += (_, message) =>
        {
            if (message.Type == "error" && message.Text.Contains("Content Security Policy", StringComparison.Ordinal))
            {
                refusedByPolicy.Add(message.Text);
            }
        };
        await Chromium.KeepEvidenceAsync(page, "docs", async () =>
        {
            await page.GotoAsync("/docs#v1/tag/me/GET/v1/me");
            var operation = page.Locator("[id='v1/tag/me/GET/v1/me']");
            await Assertions.Expect(operation.GetByRole(AriaRole.Heading, new() { Name = "The signed-in account, its limits and usage" })).ToBeVisibleAsync();
            await operation.GetByRole(AriaRole.Button, new() { Name = "Test Request" }).ClickAsync();

            var client = page.GetByRole(AriaRole.Region, new() { NameRegex = new Regex("^Request:") });
            await Assertions.Expect(client.GetByText("Selected Auth Type: api_key")).ToBeVisibleAsync();
            await client.GetByText("Value:", new() { Exact = true }).Locator("xpath=..").Locator("[contenteditable='true'], input").First.ClickAsync();
            await page.Keyboard.TypeAsync(key);
            var response = await page.RunAndWaitForResponseAsync(
                () => page.GetByRole(AriaRole.Button, new() { NameRegex = new Regex("^Send") }).First.ClickAsync(),
                r => r.Url.EndsWith("/v1/me", StringComparison.Ordinal));
            Assert.Equal(200, response.Status);
            Assert.Equal(key, await response.Request.HeaderValueAsync("x-api-key"));
            Assert.Equal(session.Email.ToLowerInvariant(), (await response.JsonAsync())?.GetProperty("email").GetString());
            await Assertions.Expect(page.GetByText("200 OK").First).ToBeVisibleAsync(); // the reference shows the answer
        });
        Assert.Empty(refusedByPolicy); // nothing the page needs is blocked by the API's Content-Security-Policy
    }
}
