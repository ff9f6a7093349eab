using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
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
        var secret = body["secret"]!.GetValue<string>();
        Assert.Equal(0, await Database.CountAsync(Fixture, $"SELECT count(*) FROM webhooks.endpoints WHERE secret LIKE '%{secret["whsec_".Length..]}%'")); // stored encrypted

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
        await using var failuresOnly = await WebhookReceiver.StartAsync();
        await using var own = await WebhookReceiver.StartAsync();
        var session = await this.RegisterUserAsync(worker.CreateClient);
        var project = (await session.Client.CreateProjectAsync("hooks"))["id"]!.GetValue<string>();
        var hook = await (await session.Client.PostAsJsonAsync($"/v1/projects/{project}/webhooks", new { url = endpoint.Url })).ReadJsonAsync();
        await session.Client.PostAsJsonAsync($"/v1/projects/{project}/webhooks", new { url = failuresOnly.Url, events = new[] { "render.failed" } });
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
        Assert.Empty(failuresOnly.Received); // subscribed to render.failed only
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
