using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Npgsql;
using RenderOwl.Api.IntegrationTests.Infrastructure;

namespace RenderOwl.Api.IntegrationTests;

/// <summary>The queue seen from the API: priority order, fairness between accounts, the tier's concurrency cap, and cancellation.</summary>
public sealed class RenderQueueTests(ApiFixture fixture) : ApiTest(fixture)
{
    [Fact]
    public async Task An_urgent_render_queued_after_twenty_low_ones_starts_first()
    {
        var (session, project) = await this.AccountWithProjectAsync(Anonymous, tier: "pro");
        var low = new List<string>();
        for (var i = 0; i < 20; i++)
        {
            low.Add((await session.Client.SubmitAsync(project, Renders.Small(priority: "low")))["id"]!.GetValue<string>());
        }
        var urgent = (await session.Client.SubmitAsync(project, Renders.Small(priority: "urgent")))["id"]!.GetValue<string>();

        await using var worker = Fixture.CreateFactory(Renders.WorkerWith(("Rendering:Dispatcher:Slots", "1")));
        _ = worker.Services; // start the host: its dispatcher begins claiming
        var done = await session.Client.WaitForAsync(urgent, r => r.Status() == "succeeded");
        var urgentStart = DateTimeOffset.Parse(done["started_at"]!.GetValue<string>(), System.Globalization.CultureInfo.InvariantCulture);
        foreach (var id in low)
        {
            var r = await (await session.Client.GetAsync($"/v1/renders/{id}")).ReadJsonAsync();
            if (r["started_at"] is { } started)
            {
                Assert.True(DateTimeOffset.Parse(started.GetValue<string>(), System.Globalization.CultureInfo.InvariantCulture) >= urgentStart, "a low render started before the urgent one");
            }
        }
    }

    [Fact]
    public async Task Another_accounts_single_render_starts_within_the_first_two_claims()
    {
        var (a, projectA) = await this.AccountWithProjectAsync(Anonymous, tier: "pro");
        var (b, projectB) = await this.AccountWithProjectAsync(Anonymous, tier: "pro");
        var batch = await a.Client.PostAsJsonAsync($"/v1/projects/{projectA}/renders/batch", new { renders = Enumerable.Range(0, 50).Select(_ => Renders.Small()).ToArray() });
        Assert.Equal(HttpStatusCode.Accepted, batch.StatusCode);
        var single = (await b.Client.SubmitAsync(projectB, Renders.Small()))["id"]!.GetValue<string>();

        await using var worker = Fixture.CreateFactory(Renders.WorkerWith(("Rendering:Dispatcher:Slots", "1")));
        _ = worker.Services;
        await b.Client.WaitForAsync(single, r => r.Status() == "succeeded");
        // Claim order = order of rendering events.
        await using var connection = new NpgsqlConnection(Fixture.ConnectionString);
        await connection.OpenAsync();
        await using var order = new NpgsqlCommand("SELECT render_id FROM rendering.render_events WHERE status = 'rendering' ORDER BY id LIMIT 2", connection);
        var firstTwo = new List<Guid>();
        await using (var reader = await order.ExecuteReaderAsync())
        {
            while (await reader.ReadAsync()) { firstTwo.Add(reader.GetGuid(0)); }
        }
        Assert.True(Domain.Common.RenderId.TryParse(single, null, out var singleId));
        Assert.Contains(singleId.Value, firstTwo);
    }

    [Fact]
    public async Task A_free_account_never_has_two_renders_running()
    {
        var (session, project) = await this.AccountWithProjectAsync(Anonymous);
        var ids = new List<string>();
        for (var i = 0; i < 3; i++)
        {
            ids.Add((await session.Client.SubmitAsync(project, Renders.Small(duration: 2, width: 320, height: 240, fps: 10)))["id"]!.GetValue<string>());
        }
        await using var worker = Fixture.CreateFactory(Renders.WorkerWith(("Rendering:Dispatcher:Slots", "3")));
        _ = worker.Services;
        var sawConcurrencyLimit = false;
        await Eventually.UntilAsync(async () =>
        {
            var states = new List<JsonNode>();
            foreach (var id in ids)
            {
                states.Add(await (await session.Client.GetAsync($"/v1/renders/{id}")).ReadJsonAsync());
            }
            Assert.True(states.Count(s => s.Status() == "rendering") <= 1, "two renders ran at once on a free account");
            sawConcurrencyLimit |= states.Any(s => s["queue_reason"]?.GetValue<string>() == "concurrency_limit");
            return states.All(s => s.Status() == "succeeded");
        }, TimeSpan.FromSeconds(60), "every render finished", TimeSpan.FromMilliseconds(50));
        Assert.True(sawConcurrencyLimit, "a waiting render never said why");
    }

    [Fact]
    public async Task Cancel_stops_a_running_render_on_its_worker_and_leaves_no_output()
    {
        // The cancel goes to the API instance; the render runs on a separate worker instance (NOTIFY render_cancel). One
        // render, not split into segments (SegmentTests cancels a split one).
        await using var worker = Fixture.CreateFactory(Renders.WorkerWith(("Rendering:Segments:MinSeconds", "0")));
        _ = worker.Services;
        var (session, project) = await this.AccountWithProjectAsync(Anonymous, tier: "pro");
        var outputsBefore = Directory.Exists(Path.Combine(Fixture.StoragePath, "renders")) ? Directory.EnumerateFiles(Path.Combine(Fixture.StoragePath, "renders"), "*", SearchOption.AllDirectories).Count() : 0;
        var id = (await session.Client.SubmitAsync(project, Renders.Small(duration: 600, format: "webm", width: 1280, height: 720, fps: 30)))["id"]!.GetValue<string>();
        await session.Client.WaitForAsync(id, r => r.Status() == "rendering" && r["progress"]!.GetValue<int>() > 0);
        var cancel = await session.Client.PostAsync($"/v1/renders/{id}/cancel", null);
        Assert.Equal(HttpStatusCode.OK, cancel.StatusCode);
        // A 600 s render canceled at all was stopped on its worker; how fast the engine stops is `bench cancel` (docs/benchmarks.md).
        var canceled = await session.Client.WaitForAsync(id, r => r.Status() == "canceled", TimeSpan.FromSeconds(30));
        Assert.Null(canceled["output"]);
        var outputsAfter = Directory.Exists(Path.Combine(Fixture.StoragePath, "renders")) ? Directory.EnumerateFiles(Path.Combine(Fixture.StoragePath, "renders"), "*", SearchOption.AllDirectories).Count() : 0;
        Assert.Equal(outputsBefore, outputsAfter);
        await (await session.Client.PostAsync($"/v1/renders/{id}/cancel", null)).AssertProblemAsync(HttpStatusCode.Conflict, "render-finished");
        await (await session.Client.GetAsync($"/v1/renders/{id}/output")).AssertProblemAsync(HttpStatusCode.Conflict, "render-not-finished");
    }

    [Fact]
    public async Task A_queued_render_is_canceled_at_once()
    {
        var (session, project) = await this.AccountWithProjectAsync(Anonymous);
        var id = (await session.Client.SubmitAsync(project, Renders.Small()))["id"]!.GetValue<string>();
        var canceled = await (await session.Client.PostAsync($"/v1/renders/{id}/cancel", null)).ReadJsonAsync();
        Assert.Equal("canceled", canceled.Status());
        Assert.Equal(1, await Database.CountAsync(Fixture, "SELECT count(*) FROM webhooks.outbox WHERE type = 'render.canceled'"));
    }
}
