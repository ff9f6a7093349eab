using System.Text.Json.Nodes;
using RenderOwl.Api.IntegrationTests.Infrastructure;

namespace RenderOwl.Api.IntegrationTests;

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
