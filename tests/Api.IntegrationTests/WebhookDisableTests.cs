using System.Net;
using System.Net.Http.Json;
using RenderOwl.Api.IntegrationTests.Infrastructure;

namespace RenderOwl.Api.IntegrationTests;

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
