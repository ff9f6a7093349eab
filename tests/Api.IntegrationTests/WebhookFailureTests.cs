using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;
using RenderOwl.Api.IntegrationTests.Infrastructure;

namespace RenderOwl.Api.IntegrationTests;

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

    [Fact]
    public async Task A_retry_due_mid_second_is_never_queued_before_it_is_due()
    {
        // Hangfire keeps a schedule in whole seconds; cut down, a retry due at …:33.453 was queued at …:33.000, found not
        // yet due, and left to the sweeper a minute later.
        var attempts = Fixture.Factory.Services.GetRequiredService<RenderOwl.Application.Common.Abstractions.IWebhookAttempts>();
        var delivery = Guid.NewGuid();
        var second = DateTimeOffset.FromUnixTimeSeconds(DateTimeOffset.UtcNow.ToUnixTimeSeconds() + 3600);
        attempts.At(delivery, second.AddMilliseconds(453));

        var score = (double)(await Database.ScalarAsync(Fixture,
            $"SELECT s.score FROM hangfire.set s JOIN hangfire.job j ON j.id::text = s.value WHERE s.key = 'schedule' AND j.invocationdata::text LIKE '%{delivery}%'"))!;
        Assert.Equal(second.ToUnixTimeSeconds() + 1, score);
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
