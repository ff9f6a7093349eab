using System.Diagnostics;
using Npgsql;
using RenderOwl.Api.IntegrationTests.Infrastructure;

namespace RenderOwl.Api.IntegrationTests;

/// <summary>Leases, worker death and shutdown: a render runs once while its worker lives, and is never lost when it dies.</summary>
public sealed class DispatcherResilienceTests(ApiFixture fixture) : ApiTest(fixture)
{
    private static readonly (string, string?)[] ShortLease = [("Rendering:Dispatcher:LeaseSeconds", "1.5"), ("Rendering:Dispatcher:ProgressIntervalMs", "200")];

    /// <summary>x264 at the slow preset, 720p: several seconds of work on this machine for a few seconds of video.</summary>
    private static object Long(double seconds, int fps = 30) => new
    {
        composition = new { duration = seconds, background = "#101820", layers = new object[] { new { type = "text", text = "long", start = 0, animation = "fade_in_out" } } },
        output_settings = new { format = "mp4", width = 1280, height = 720, fps, quality = "high" },
    };

    private async Task<List<string>> HistoryAsync(HttpClient client, string id)
        => (await (await client.GetAsync($"/v1/renders/{id}/events")).ReadJsonAsync()).AsArray().Select(e => e!["status"]!.GetValue<string>()).ToList();

    [Fact]
    public async Task A_heartbeated_render_longer_than_its_lease_is_never_taken_by_another_worker()
    {
        await using var a = Fixture.CreateFactory(Renders.WorkerWith(ShortLease));
        await using var b = Fixture.CreateFactory(Renders.WorkerWith(ShortLease));
        _ = b.Services;
        var session = await this.RegisterUserAsync(a.CreateClient);
        var project = (await session.Client.CreateProjectAsync("long"))["id"]!.GetValue<string>();
        // Long enough to outlast two 1.5 s leases even on an idle machine (20 s at 30 fps took ~2 s there): 1,800 frames.
        var id = (await session.Client.SubmitAsync(project, Long(30, fps: 60)))["id"]!.GetValue<string>();
        var started = Stopwatch.StartNew();
        var done = await session.Client.WaitForAsync(id, r => r.Status() is "succeeded" or "failed", TimeSpan.FromSeconds(120));
        Assert.Equal("succeeded", done.Status());
        Assert.True(started.Elapsed > TimeSpan.FromSeconds(3), "the render was shorter than two leases; the test proves nothing");
        Assert.Equal(1, done["attempts"]!.GetValue<int>());
        Assert.Equal(["queued", "rendering", "succeeded"], await HistoryAsync(session.Client, id));
    }

    [Fact]
    public async Task Shutdown_releases_a_running_render_to_the_queue_without_counting_the_attempt()
    {
        var worker = Fixture.CreateFactory(Renders.WorkerWith(("Rendering:Dispatcher:ShutdownGraceSeconds", "0.5")));
        Session session;
        string id;
        try
        {
            session = await this.RegisterUserAsync(worker.CreateClient);
            var project = (await session.Client.CreateProjectAsync("shutdown"))["id"]!.GetValue<string>();
            id = (await session.Client.SubmitAsync(project, Long(30)))["id"]!.GetValue<string>();
            await session.Client.WaitForAsync(id, r => r.Status() == "rendering");
        }
        finally
        {
            await worker.DisposeAsync(); // the host's graceful stop, as on SIGTERM
        }

        var api = Anonymous();
        api.DefaultRequestHeaders.Authorization = session.Client.DefaultRequestHeaders.Authorization;
        var after = await (await api.GetAsync($"/v1/renders/{id}")).ReadJsonAsync();
        Assert.Equal("queued", after.Status());
        Assert.Equal(0, after["attempts"]!.GetValue<int>());
        Assert.Equal("queued", (await HistoryAsync(api, id))[^1]);
    }

    [Fact]
    public async Task A_worker_killed_mid_render_loses_the_lease_and_another_worker_finishes_it()
    {
        var session = await this.RegisterUserAsync(Anonymous);
        var project = (await session.Client.CreateProjectAsync("crash"))["id"]!.GetValue<string>();
        var id = (await session.Client.SubmitAsync(project, Long(10)))["id"]!.GetValue<string>();
        var outputs = Path.Combine(Fixture.StoragePath, "renders");
        var before = Directory.Exists(outputs) ? Directory.EnumerateFiles(outputs, "*", SearchOption.AllDirectories).Count() : 0;

        using (var doomed = StartWorkerProcess())
        {
            try
            {
                await session.Client.WaitForAsync(id, r => r.Status() == "rendering" && r["progress"]!.GetValue<int>() > 0, TimeSpan.FromSeconds(60));
                Assert.Contains($":{doomed.Id}:", await LeaseOwnerAsync(id), StringComparison.Ordinal);
            }
            finally
            {
                doomed.Process.Kill(entireProcessTree: true); // SIGKILL: no shutdown, no release
                await doomed.Process.WaitForExitAsync();
            }
        }
        Assert.Equal("rendering", (await (await session.Client.GetAsync($"/v1/renders/{id}")).ReadJsonAsync()).Status()); // still leased by the dead worker

        await using var rescuer = Fixture.CreateFactory(Renders.WorkerWith(ShortLease));
        _ = rescuer.Services;
        var done = await session.Client.WaitForAsync(id, r => r.Status() is "succeeded" or "failed", TimeSpan.FromSeconds(120));
        Assert.Equal("succeeded", done.Status());
        Assert.Equal(2, done["attempts"]!.GetValue<int>());
        Assert.Equal(["queued", "rendering", "queued", "rendering", "succeeded"], await HistoryAsync(session.Client, id));
        Assert.Equal(before + 2, Directory.EnumerateFiles(outputs, "*", SearchOption.AllDirectories).Count()); // exactly one output, and its poster
    }

    [Fact]
    public async Task SIGTERM_to_a_worker_process_mid_render_releases_the_render_without_counting_the_attempt()
    {
        var session = await this.RegisterUserAsync(Anonymous);
        var project = (await session.Client.CreateProjectAsync("sigterm"))["id"]!.GetValue<string>();
        var id = (await session.Client.SubmitAsync(project, Long(30)))["id"]!.GetValue<string>();

        // A normal lease: this test is about the release on SIGTERM; the 1.5 s lease of the lease tests lapsed under a
        // busy machine's scheduling stalls, and a rescued attempt rightly counts — the flake this test had.
        using var worker = StartWorkerProcess(("Rendering:Dispatcher:ShutdownGraceSeconds", "0.5"), ("Rendering:Dispatcher:LeaseSeconds", "10"));
        await session.Client.WaitForAsync(id, r => r.Status() == "rendering" && r["progress"]!.GetValue<int>() > 0, TimeSpan.FromSeconds(60));
        Assert.Contains($":{worker.Id}:", await LeaseOwnerAsync(id), StringComparison.Ordinal);
        await worker.TerminateAsync();
        using (var exited = new CancellationTokenSource(TimeSpan.FromSeconds(30)))
        {
            await worker.Process.WaitForExitAsync(exited.Token); // stops claiming, waits 0.5 s, stops ffmpeg, releases, exits
        }
        Assert.Equal(0, worker.Process.ExitCode);

        var after = await (await session.Client.GetAsync($"/v1/renders/{id}")).ReadJsonAsync();
        var history = await HistoryAsync(session.Client, id);
        Assert.True(after.Status() == "queued", $"status {after.Status()}, history {string.Join(", ", history)}, worker log:\n{string.Join("\n", worker.Output.TakeLast(40))}");
        Assert.Equal(0, after["attempts"]!.GetValue<int>());
        Assert.Equal(["queued", "rendering", "queued"], history);
    }

    [Fact]
    public async Task A_render_that_becomes_due_without_a_notification_is_found_by_the_poll()
    {
        // Submitted while no worker runs, then held back (as a retry's backoff would): not due for an hour.
        var session = await this.RegisterUserAsync(Anonymous);
        var project = (await session.Client.CreateProjectAsync("poll"))["id"]!.GetValue<string>();
        var id = (await session.Client.SubmitAsync(project, Renders.Small()))["id"]!.GetValue<string>();
        await SetDueAsync(id, "now() + interval '1 hour'");

        await using var worker = Fixture.CreateFactory(Renders.WorkerWith(("Rendering:Dispatcher:PollSeconds", "0.5")));
        _ = worker.Services;
        await Task.Delay(1500); // the worker is listening and idle; nothing is due
        Assert.Equal("queued", (await (await session.Client.GetAsync($"/v1/renders/{id}")).ReadJsonAsync()).Status());

        await SetDueAsync(id, "now()"); // due now, and no NOTIFY is sent: only the poll can find it
        var done = await session.Client.WaitForAsync(id, r => r.Status() is "succeeded" or "failed", TimeSpan.FromSeconds(30));
        Assert.Equal("succeeded", done.Status());
    }

    private async Task SetDueAsync(string renderId, string when)
    {
        Assert.True(Domain.Common.RenderId.TryParse(renderId, null, out var id));
        await using var connection = new NpgsqlConnection(Fixture.ConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand($"UPDATE rendering.renders SET next_attempt_at = {when} WHERE id = @id", connection);
        command.Parameters.AddWithValue("id", id.Value);
        Assert.Equal(1, await command.ExecuteNonQueryAsync());
    }

    private async Task<string> LeaseOwnerAsync(string renderId)
    {
        Assert.True(Domain.Common.RenderId.TryParse(renderId, null, out var id));
        await using var connection = new NpgsqlConnection(Fixture.ConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand("SELECT lease_owner FROM rendering.renders WHERE id = @id", connection);
        command.Parameters.AddWithValue("id", id.Value);
        return (string)(await command.ExecuteScalarAsync())!;
    }

    /// <summary>The built API as a separate process in the worker role, on this run's database and storage.</summary>
    private ApiProcess StartWorkerProcess(params (string Key, string? Value)[] extra)
        => ApiProcess.Start(Fixture.Settings(Renders.WorkerWith([.. ShortLease, .. extra])), role: "worker");
}
