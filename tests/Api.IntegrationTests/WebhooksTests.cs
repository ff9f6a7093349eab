using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;
using RenderOwl.Api.IntegrationTests.Infrastructure;
using StandardWebhooks;
using StandardWebhooks.Diagnostics;

namespace RenderOwl.Api.IntegrationTests;

/// <summary>Webhook endpoints and their deliveries, end to end: a real worker, Hangfire, a receiver on loopback verifying with a Standard Webhooks library.</summary>
public sealed class WebhooksTests(ApiFixture fixture) : ApiTest(fixture)
{
    /// <summary>API and worker in one process, allowed to call back to loopback, retries shrunk to fractions of a second.</summary>
    private ApiFactory Worker() => Fixture.CreateFactory(Renders.WorkerWith(("Webhooks:AllowPrivateTargets", "true"), ("Webhooks:Retry:Scale", "0.001"),
        ("Hangfire:SchedulePollingSeconds", "1")));

    /// <summary>
    /// Verifies with the StandardWebhooks library. Its 1.1.2 loop never matches the last of several space-separated
    /// signatures (it compares the whole header there), so each <c>v1,…</c> is offered to it on its own: one must verify.
    /// </summary>
    private static void Verify(ReceivedWebhook received, string secret)
    {
        var webhook = new StandardWebhook(secret);
        var signatures = received.Headers["webhook-signature"].ToString().Split(' ');
        var verified = signatures.Count(signature =>
        {
            var headers = new Microsoft.AspNetCore.Http.HeaderDictionary(received.Headers.ToDictionary(h => h.Key, h => h.Value)) { ["webhook-signature"] = signature };
            try
            {
                webhook.Verify(received.Body, headers);
                return true;
            }
            catch (WebhookVerificationException)
            {
                return false;
            }
        });
        if (verified == 0)
        {
            throw new WebhookVerificationException("No matching signature found");
        }
    }

    [Fact]
    public async Task An_endpoint_is_created_with_a_secret_shown_once_and_listed_without_it()
    {
        var session = await this.RegisterUserAsync(Anonymous);
        var project = (await session.Client.CreateProjectAsync("hooks"))["id"]!.GetValue<string>();
        await using var api = Fixture.CreateFactory(new Dictionary<string, string?> { ["Webhooks:AllowPrivateTargets"] = "true" });
        var client = api.CreateClient();
        client.DefaultRequestHeaders.Authorization = session.Client.DefaultRequestHeaders.Authorization;

        var created = await client.PostAsJsonAsync($"/v1/projects/{project}/webhooks", new { url = "http://127.0.0.1:9/hook", events = new[] { "render.failed" } });
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        var body = await created.ReadJsonAsync();
        Assert.StartsWith("whk_", body["id"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.StartsWith("whsec_", body["secret"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.Equal(32, Convert.FromBase64String(body["secret"]!.GetValue<string>()["whsec_".Length..]).Length);
        Assert.Equal(["render.failed"], body["events"]!.AsArray().Select(e => e!.GetValue<string>()));
        Assert.Equal($"/v1/webhooks/{body["id"]}", created.Headers.Location!.OriginalString);

        var listed = (await (await client.GetAsync($"/v1/projects/{project}/webhooks")).ReadJsonAsync())["items"]!.AsArray();
        Assert.Null(Assert.Single(listed)!["secret"]);
        var patched = await (await client.PatchAsJsonAsync($"/v1/webhooks/{body["id"]}", new { enabled = false, description = "off" })).ReadJsonAsync();
        Assert.False(patched["enabled"]!.GetValue<bool>());
        Assert.Equal("off", patched["description"]!.GetValue<string>());
        Assert.Equal(HttpStatusCode.NoContent, (await client.DeleteAsync($"/v1/webhooks/{body["id"]}")).StatusCode);
        await (await client.GetAsync($"/v1/webhooks/{body["id"]}")).AssertProblemAsync(HttpStatusCode.NotFound, "not-found");
    }

    [Fact]
    public async Task A_private_target_is_refused_when_private_targets_are_not_allowed()
    {
        var session = await this.RegisterUserAsync(Anonymous);
        var project = (await session.Client.CreateProjectAsync("hooks"))["id"]!.GetValue<string>();
        await (await session.Client.PostAsJsonAsync($"/v1/projects/{project}/webhooks", new { url = "http://127.0.0.1:9/hook" }))
            .AssertProblemAsync(HttpStatusCode.BadRequest, "url-not-allowed");
        await (await session.Client.PostAsJsonAsync($"/v1/projects/{project}/webhooks", new { url = "http://10.0.0.7/hook" }))
            .AssertProblemAsync(HttpStatusCode.BadRequest, "url-not-allowed");
        await (await session.Client.PostAsJsonAsync($"/v1/projects/{project}/webhooks", new { url = "ftp://example.com/hook" }))
            .AssertProblemAsync(HttpStatusCode.BadRequest, "validation-failed");
        await (await session.Client.PostAsJsonAsync($"/v1/projects/{project}/webhooks", new { url = "https://example.com/hook", events = new[] { "render.exploded" } }))
            .AssertProblemAsync(HttpStatusCode.BadRequest, "validation-failed");
    }

    [Fact]
    public async Task Another_accounts_endpoint_delivery_and_redeliver_are_404()
    {
        await using var worker = Worker();
        await using var receiver = await WebhookReceiver.StartAsync();
        var owner = await this.RegisterUserAsync(worker.CreateClient);
        var project = (await owner.Client.CreateProjectAsync("hooks"))["id"]!.GetValue<string>();
        var hook = await (await owner.Client.PostAsJsonAsync($"/v1/projects/{project}/webhooks", new { url = receiver.Url })).ReadJsonAsync();
        Assert.Equal(HttpStatusCode.Accepted, (await owner.Client.PostAsync($"/v1/webhooks/{hook["id"]}/test", null)).StatusCode);
        await receiver.NextAsync();
        var delivery = await Eventually.UntilAsync(async () => (await (await owner.Client.GetAsync($"/v1/webhooks/{hook["id"]}/deliveries")).ReadJsonAsync())["items"]!.AsArray(),
            items => items.Count == 1 && items[0]!["status"]!.GetValue<string>() == "succeeded", TimeSpan.FromSeconds(30), "the test delivery was logged as succeeded");

        var stranger = await this.RegisterUserAsync(worker.CreateClient);
        await (await stranger.Client.GetAsync($"/v1/webhooks/{hook["id"]}")).AssertProblemAsync(HttpStatusCode.NotFound, "not-found");
        await (await stranger.Client.GetAsync($"/v1/webhooks/{hook["id"]}/deliveries")).AssertProblemAsync(HttpStatusCode.NotFound, "not-found");
        await (await stranger.Client.PostAsync($"/v1/webhook-deliveries/{delivery[0]!["id"]}/redeliver", null)).AssertProblemAsync(HttpStatusCode.NotFound, "not-found");
        await (await stranger.Client.PatchAsJsonAsync($"/v1/webhooks/{hook["id"]}", new { enabled = false })).AssertProblemAsync(HttpStatusCode.NotFound, "not-found");
    }

    [Fact]
    public async Task A_finished_render_reaches_its_endpoint_and_its_webhook_url_signed_with_the_right_secrets_carrying_the_render_as_GET_shows_it()
    {
        await using var worker = Worker();
        await using var endpoint = await WebhookReceiver.StartAsync();
        await using var own = await WebhookReceiver.StartAsync();
        var session = await this.RegisterUserAsync(worker.CreateClient);
        var project = (await session.Client.CreateProjectAsync("hooks"))["id"]!.GetValue<string>();
        var hook = await (await session.Client.PostAsJsonAsync($"/v1/projects/{project}/webhooks", new { url = endpoint.Url })).ReadJsonAsync();
        var accountSecret = (await (await session.Client.GetAsync("/v1/webhooks/signing-secret")).ReadJsonAsync())["secret"]!.GetValue<string>();

        var render = JsonNode.Parse(System.Text.Json.JsonSerializer.Serialize(Renders.Small()))!.AsObject();
        render["webhook_url"] = own.Url;
        render["metadata"] = new JsonObject { ["order"] = 42 };
        var id = (await session.Client.SubmitAsync(project, render))["id"]!.GetValue<string>();
        await session.Client.WaitForAsync(id, r => r.Status() == "succeeded");

        var toEndpoint = await endpoint.NextAsync();
        var toOwn = await own.NextAsync();
        Verify(toEndpoint, hook["secret"]!.GetValue<string>());
        Verify(toOwn, accountSecret);
        Assert.Throws<WebhookVerificationException>(() => Verify(toEndpoint, accountSecret));
        Assert.Equal(toEndpoint.EventId, toOwn.EventId);
        Assert.StartsWith("evt_", toEndpoint.EventId, StringComparison.Ordinal);
        Assert.StartsWith("dlv_", toEndpoint.Headers["RenderOwl-Delivery-Id"].ToString(), StringComparison.Ordinal);
        Assert.Equal("RenderOwl-Webhooks/1", toEndpoint.Headers.UserAgent.ToString());
        var payload = JsonNode.Parse(toEndpoint.Body)!;
        Assert.Equal("render.succeeded", payload["type"]!.GetValue<string>());
        Assert.Equal(toEndpoint.EventId, payload["id"]!.GetValue<string>());
        var shown = await (await session.Client.GetAsync($"/v1/renders/{id}")).ReadJsonAsync();
        Assert.True(JsonNode.DeepEquals(shown, payload["data"]!["render"]), $"payload {payload["data"]!["render"]!.ToJsonString()}\nGET {shown.ToJsonString()}");
        Assert.Equal(42, payload["data"]!["render"]!["metadata"]!["order"]!.GetValue<int>());

        var log = await Eventually.UntilAsync(async () => (await (await session.Client.GetAsync($"/v1/renders/{id}/deliveries")).ReadJsonAsync())["items"]!.AsArray(),
            items => items.Count == 2 && items.All(d => d!["status"]!.GetValue<string>() == "succeeded"), TimeSpan.FromSeconds(30), "both deliveries were logged as succeeded");
        Assert.All(log, d => Assert.Equal(200, d!["response_status"]!.GetValue<int>()));
        Assert.Single(endpoint.Received);
    }

    [Fact]
    public async Task A_receiver_that_answers_500_then_200_gets_two_attempts_with_the_same_event_id_both_logged()
    {
        await using var worker = Worker();
        await using var receiver = await WebhookReceiver.StartAsync(500);
        var session = await this.RegisterUserAsync(worker.CreateClient);
        var project = (await session.Client.CreateProjectAsync("hooks"))["id"]!.GetValue<string>();
        var hook = await (await session.Client.PostAsJsonAsync($"/v1/projects/{project}/webhooks", new { url = receiver.Url })).ReadJsonAsync();
        Assert.Equal(HttpStatusCode.Accepted, (await session.Client.PostAsync($"/v1/webhooks/{hook["id"]}/test", null)).StatusCode);

        var second = await receiver.NextAsync(2);
        var first = receiver.Received.First();
        Assert.Equal(first.EventId, second.EventId);
        Verify(second, hook["secret"]!.GetValue<string>());
        var delivery = (await Eventually.UntilAsync(async () => (await (await session.Client.GetAsync($"/v1/webhooks/{hook["id"]}/deliveries")).ReadJsonAsync())["items"]!.AsArray(),
            items => items.Count == 1 && items[0]!["status"]!.GetValue<string>() == "succeeded", TimeSpan.FromSeconds(30), "the delivery succeeded on its retry"))[0]!;
        Assert.Equal(2, delivery["attempts"]!.GetValue<int>());
        Assert.Equal(200, delivery["response_status"]!.GetValue<int>());
        Assert.Equal("webhook.test", delivery["event_type"]!.GetValue<string>());
    }

    [Fact]
    public async Task Redeliver_sends_a_new_attempt_with_the_same_event_id()
    {
        await using var worker = Worker();
        await using var receiver = await WebhookReceiver.StartAsync();
        var session = await this.RegisterUserAsync(worker.CreateClient);
        var project = (await session.Client.CreateProjectAsync("hooks"))["id"]!.GetValue<string>();
        var hook = await (await session.Client.PostAsJsonAsync($"/v1/projects/{project}/webhooks", new { url = receiver.Url })).ReadJsonAsync();
        await session.Client.PostAsync($"/v1/webhooks/{hook["id"]}/test", null);
        var first = await receiver.NextAsync();
        var delivery = (await Eventually.UntilAsync(async () => (await (await session.Client.GetAsync($"/v1/webhooks/{hook["id"]}/deliveries")).ReadJsonAsync())["items"]!.AsArray(),
            items => items.Count == 1 && items[0]!["status"]!.GetValue<string>() == "succeeded", TimeSpan.FromSeconds(30), "the first delivery succeeded"))[0]!;

        Assert.Equal(HttpStatusCode.Accepted, (await session.Client.PostAsync($"/v1/webhook-deliveries/{delivery["id"]}/redeliver", null)).StatusCode);
        var again = await receiver.NextAsync(2);
        Assert.Equal(first.EventId, again.EventId);
        Verify(again, hook["secret"]!.GetValue<string>());
    }

    [Fact]
    public async Task During_a_rotation_both_secrets_verify()
    {
        await using var worker = Worker();
        await using var receiver = await WebhookReceiver.StartAsync();
        var session = await this.RegisterUserAsync(worker.CreateClient);
        var project = (await session.Client.CreateProjectAsync("hooks"))["id"]!.GetValue<string>();
        var hook = await (await session.Client.PostAsJsonAsync($"/v1/projects/{project}/webhooks", new { url = receiver.Url })).ReadJsonAsync();
        var rotated = (await (await session.Client.PostAsync($"/v1/webhooks/{hook["id"]}/rotate-secret", null)).ReadJsonAsync())["secret"]!.GetValue<string>();
        Assert.NotEqual(hook["secret"]!.GetValue<string>(), rotated);

        await session.Client.PostAsync($"/v1/webhooks/{hook["id"]}/test", null);
        var received = await receiver.NextAsync();
        Assert.Equal(2, received.Headers["webhook-signature"].ToString().Split(' ').Length);
        Verify(received, rotated);
        Verify(received, hook["secret"]!.GetValue<string>());
    }
}

/// <summary>Failures and the SSRF guard at delivery time.</summary>
public sealed class WebhookFailureTests(ApiFixture fixture) : ApiTest(fixture)
{
    private ApiFactory Worker(string scale, params (string Key, string? Value)[] more)
        => Fixture.CreateFactory(Renders.WorkerWith([("Webhooks:AllowPrivateTargets", "true"), ("Webhooks:Retry:Scale", scale), ("Hangfire:SchedulePollingSeconds", "1"), .. more]));

    private static async Task<JsonArray> DeliveriesAsync(Session session, JsonNode hook)
        => (await (await session.Client.GetAsync($"/v1/webhooks/{hook["id"]}/deliveries")).ReadJsonAsync())["items"]!.AsArray();

    [Fact]
    public async Task A_failed_attempt_is_logged_retrying_with_its_status_and_next_attempt_time()
    {
        await using var worker = Worker("1"); // the real schedule: the first retry within 2 minutes
        await using var receiver = await WebhookReceiver.StartAsync(503, 503);
        var session = await this.RegisterUserAsync(worker.CreateClient);
        var project = (await session.Client.CreateProjectAsync("hooks"))["id"]!.GetValue<string>();
        var hook = await (await session.Client.PostAsJsonAsync($"/v1/projects/{project}/webhooks", new { url = receiver.Url })).ReadJsonAsync();
        await session.Client.PostAsync($"/v1/webhooks/{hook["id"]}/test", null);

        var delivery = (await Eventually.UntilAsync(() => DeliveriesAsync(session, hook), d => d.Count == 1 && d[0]!["status"]!.GetValue<string>() == "retrying",
            TimeSpan.FromSeconds(30), "the failed attempt was logged as retrying"))[0]!;
        Assert.Equal(1, delivery["attempts"]!.GetValue<int>());
        Assert.Equal(503, delivery["response_status"]!.GetValue<int>());
        var next = delivery["next_attempt_at"]!.GetValue<DateTimeOffset>();
        Assert.InRange(next, DateTimeOffset.UtcNow.AddSeconds(-5), DateTimeOffset.UtcNow.AddMinutes(2).AddSeconds(5));
        Assert.Null(delivery["delivered_at"]);
    }

    [Fact]
    public async Task Eight_failed_attempts_leave_the_delivery_failed()
    {
        await using var worker = Worker("0.00002"); // the ceilings shrunk to 2.4 ms … 1.2 s: eight attempts within seconds
        await using var receiver = await WebhookReceiver.StartAsync([.. Enumerable.Repeat(500, 20)]);
        var session = await this.RegisterUserAsync(worker.CreateClient);
        var project = (await session.Client.CreateProjectAsync("hooks"))["id"]!.GetValue<string>();
        var hook = await (await session.Client.PostAsJsonAsync($"/v1/projects/{project}/webhooks", new { url = receiver.Url })).ReadJsonAsync();
        await session.Client.PostAsync($"/v1/webhooks/{hook["id"]}/test", null);

        var delivery = (await Eventually.UntilAsync(() => DeliveriesAsync(session, hook), d => d.Count == 1 && d[0]!["status"]!.GetValue<string>() == "failed",
            TimeSpan.FromSeconds(90), "the delivery failed after its last attempt", TimeSpan.FromMilliseconds(500)))[0]!;
        Assert.Equal(8, delivery["attempts"]!.GetValue<int>());
        Assert.Null(delivery["next_attempt_at"]);
        Assert.Equal(8, receiver.Received.Count);
        Assert.Single(receiver.Received.Select(r => r.EventId).Distinct());
    }

    /// <summary>A resolver the test controls: what a name resolves to can change between the endpoint's creation and a delivery (DNS rebinding).</summary>
    private sealed class SwitchableResolver : RenderOwl.Infrastructure.Networking.IHostResolver
    {
        public System.Net.IPAddress Answer { get; set; } = System.Net.IPAddress.Parse("93.184.216.34");

        public Task<System.Net.IPAddress[]> ResolveAsync(string host, CancellationToken cancellationToken) => Task.FromResult(new[] { Answer });
    }

    [Fact]
    public async Task A_name_that_resolves_to_loopback_is_refused_at_creation_and_at_delivery()
    {
        var resolver = new SwitchableResolver();
        await using var receiver = await WebhookReceiver.StartAsync();
        await using var configured = Fixture.CreateFactory(Renders.WorkerWith(("Webhooks:AllowPrivateTargets", "false"), ("Hangfire:SchedulePollingSeconds", "1")));
        await using var worker = configured.WithWebHostBuilder(b => b.ConfigureTestServices(s => s.AddSingleton<RenderOwl.Infrastructure.Networking.IHostResolver>(resolver)));
        var session = await this.RegisterUserAsync(worker.CreateClient);
        var project = (await session.Client.CreateProjectAsync("hooks"))["id"]!.GetValue<string>();
        var url = $"http://hooks.example.test:{new Uri(receiver.Url).Port}/hook";

        resolver.Answer = System.Net.IPAddress.Loopback;
        await (await session.Client.PostAsJsonAsync($"/v1/projects/{project}/webhooks", new { url })).AssertProblemAsync(HttpStatusCode.BadRequest, "url-not-allowed");

        resolver.Answer = System.Net.IPAddress.Parse("93.184.216.34"); // public when created …
        var hook = await (await session.Client.PostAsJsonAsync($"/v1/projects/{project}/webhooks", new { url })).ReadJsonAsync();
        Assert.NotNull(hook["id"]);
        resolver.Answer = System.Net.IPAddress.Loopback;                // … loopback when delivered
        await session.Client.PostAsync($"/v1/webhooks/{hook["id"]}/test", null);

        var delivery = (await Eventually.UntilAsync(() => DeliveriesAsync(session, hook), d => d.Count == 1 && d[0]!["attempts"]!.GetValue<int>() >= 1
            && d[0]!["status"]!.GetValue<string>() != "pending", TimeSpan.FromSeconds(30), "the refused attempt was logged"))[0]!;
        Assert.Null(delivery["response_status"]);
        Assert.Contains("non-public", delivery["response_body"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.Empty(receiver.Received);
    }
}

/// <summary>Nothing is lost when a worker dies: the event waits in the outbox, committed with the render's final status.</summary>
public sealed class WebhookDurabilityTests(ApiFixture fixture) : ApiTest(fixture)
{
    [Fact]
    public async Task A_worker_killed_after_the_render_finished_and_before_the_delivery_delivers_it_once_after_restart()
    {
        await using var receiver = await WebhookReceiver.StartAsync();
        await using var api = Fixture.CreateFactory(new Dictionary<string, string?> { ["Webhooks:AllowPrivateTargets"] = "true" });
        var session = await this.RegisterUserAsync(api.CreateClient);
        var project = (await session.Client.CreateProjectAsync("durable"))["id"]!.GetValue<string>();
        var render = JsonNode.Parse(System.Text.Json.JsonSerializer.Serialize(Renders.Small()))!.AsObject();
        render["webhook_url"] = receiver.Url;

        // This worker renders but does not relay the outbox: the render finishes, its event stays undelivered, then SIGKILL.
        string id;
        using (var doomed = ApiProcess.Start(Fixture.Settings(Renders.WorkerWith(("Webhooks:Relay", "false"), ("Webhooks:AllowPrivateTargets", "true"))), role: "worker"))
        {
            try
            {
                id = (await session.Client.SubmitAsync(project, render))["id"]!.GetValue<string>();
                await session.Client.WaitForAsync(id, r => r.Status() == "succeeded", TimeSpan.FromSeconds(60));
            }
            finally
            {
                doomed.Process.Kill(entireProcessTree: true); // SIGKILL: no shutdown
                await doomed.Process.WaitForExitAsync();
            }
        }
        Assert.Empty(receiver.Received);
        Assert.Equal(1, await Database.CountAsync(Fixture, "SELECT count(*) FROM webhooks.outbox WHERE dispatched_at IS NULL"));

        await using var restarted = Fixture.CreateFactory(Renders.WorkerWith(("Webhooks:AllowPrivateTargets", "true"), ("Hangfire:SchedulePollingSeconds", "1")));
        _ = restarted.Services;
        var delivered = await receiver.NextAsync();
        Assert.Contains(id, delivered.Body, StringComparison.Ordinal);
        await Eventually.UntilAsync(async () => (await (await session.Client.GetAsync($"/v1/renders/{id}/deliveries")).ReadJsonAsync())["items"]!.AsArray()
            .Any(d => d!["status"]!.GetValue<string>() == "succeeded"), TimeSpan.FromSeconds(30), "the delivery was logged as succeeded");
        Assert.Single(receiver.Received);
    }
}

/// <summary>An endpoint that keeps failing is switched off, and its owner told.</summary>
public sealed class WebhookDisableTests(ApiFixture fixture) : ApiTest(fixture)
{
    [Fact]
    public async Task An_endpoint_failing_for_three_days_is_disabled_when_a_delivery_fails_for_good_and_its_owner_is_notified()
    {
        await using var worker = Fixture.CreateFactory(Renders.WorkerWith(("Webhooks:AllowPrivateTargets", "true"), ("Webhooks:Retry:Scale", "0.00002"),
            ("Hangfire:SchedulePollingSeconds", "1")));
        await using var receiver = await WebhookReceiver.StartAsync([.. Enumerable.Repeat(500, 20)]);
        var session = await this.RegisterUserAsync(worker.CreateClient);
        Assert.Equal(HttpStatusCode.OK, (await session.Client.PatchAsJsonAsync("/v1/me", new { email_notifications = true })).StatusCode);
        var project = (await session.Client.CreateProjectAsync("hooks"))["id"]!.GetValue<string>();
        var hook = await (await session.Client.PostAsJsonAsync($"/v1/projects/{project}/webhooks", new { url = receiver.Url })).ReadJsonAsync();
        // Three days of failures already behind it (the only way to have them without waiting three days).
        Assert.True(Domain.Common.TypedId.TryParse<Domain.Common.WebhookId>(hook["id"]!.GetValue<string>(), out var id));
        Assert.Equal(1, await Database.ExecuteAsync(Fixture, $"UPDATE webhooks.endpoints SET failing_since = now() - interval '3 days 1 minute' WHERE id = '{id.Value}'"));

        await session.Client.PostAsync($"/v1/webhooks/{hook["id"]}/test", null);

        await Eventually.UntilAsync(async () => !(await (await session.Client.GetAsync($"/v1/webhooks/{hook["id"]}")).ReadJsonAsync())["enabled"]!.GetValue<bool>(),
            TimeSpan.FromSeconds(60), "the endpoint was disabled after its delivery failed for good", TimeSpan.FromMilliseconds(500));
        var notices = (await (await session.Client.GetAsync("/v1/notifications")).ReadJsonAsync())["items"]!.AsArray();
        var notice = Assert.Single(notices, n => n!["type"]!.GetValue<string>() == "webhook.disabled")!;
        Assert.Equal(hook["id"]!.GetValue<string>(), notice["data"]!["webhook_id"]!.GetValue<string>());
        var mail = await Eventually.UntilAsync(() => Task.FromResult(EmailTests.MessagesTo(session.Email)), m => m.Count >= 1, TimeSpan.FromSeconds(30), "the owner got an e-mail");
        Assert.Contains("Subject: A webhook endpoint was disabled", Assert.Single(mail), StringComparison.Ordinal);
        var received = receiver.Received.Count;
        await session.Client.PostAsync($"/v1/webhooks/{hook["id"]}/test", null); // disabled: the test event is logged failed, not sent
        await Task.Delay(1500);
        Assert.Equal(received, receiver.Received.Count);
    }
}
