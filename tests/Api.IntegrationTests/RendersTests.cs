using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;
using RenderOwl.Api.IntegrationTests.Infrastructure;
using RenderOwl.Application.Rendering;

namespace RenderOwl.Api.IntegrationTests;

public sealed class RendersTests(ApiFixture fixture) : ApiTest(fixture)
{
    [Fact]
    public async Task Submit_stream_succeed_and_download_a_verified_mp4()
    {
        await using var worker = Fixture.CreateFactory(Renders.Worker);
        var (session, project) = await this.AccountWithProjectAsync(worker.CreateClient);
        var response = await session.Client.PostAsJsonAsync($"/v1/projects/{project}/renders",
            Renders.Small(duration: 2, width: 320, height: 240, fps: 10));
        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        var render = await response.ReadJsonAsync();
        var id = render["id"]!.GetValue<string>();
        Assert.StartsWith("rnd_", id, StringComparison.Ordinal);
        Assert.Equal($"/v1/renders/{id}", response.Headers.Location!.ToString());
        Assert.Equal("queued", render.Status());

        // The live stream: increasing progress and the final status.
        var stream = new HttpRequestMessage(HttpMethod.Get, $"/v1/renders/{id}/events");
        stream.Headers.Accept.ParseAdd("text/event-stream");
        using var events = await session.Client.SendAsync(stream, HttpCompletionOption.ResponseHeadersRead);
        Assert.Equal("text/event-stream", events.Content.Headers.ContentType!.MediaType);
        var reader = new StreamReader(await events.Content.ReadAsStreamAsync());
        var progress = new List<int>();
        var statuses = new List<string>();
        string? eventName = null;
        while (await reader.ReadLineAsync() is { } line)
        {
            if (line.StartsWith("event: ", StringComparison.Ordinal))
            {
                eventName = line[7..];
            }
            else if (line.StartsWith("data: ", StringComparison.Ordinal))
            {
                var data = JsonNode.Parse(line[6..])!;
                if (eventName == "progress") { progress.Add(data["progress"]!.GetValue<int>()); }
                if (eventName == "status") { statuses.Add(data["status"]!.GetValue<string>()); }
                if (eventName == "end") { break; }
            }
        }
        Assert.Equal("succeeded", statuses[^1]);
        Assert.Equal(100, progress[^1]);
        Assert.True(progress.Zip(progress.Skip(1)).All(p => p.Second >= p.First), string.Join(",", progress));

        var done = await (await session.Client.GetAsync($"/v1/renders/{id}")).ReadJsonAsync();
        Assert.Equal("succeeded", done.Status());
        Assert.Equal(1, done["attempts"]!.GetValue<int>());
        Assert.NotNull(done["started_at"]);
        Assert.NotNull(done["finished_at"]);
        var output = done["output"]!;
        Assert.Equal($"/v1/renders/{id}/output", output["url"]!.GetValue<string>());
        Assert.Equal(320, output["width"]!.GetValue<int>());

        var file = Path.Combine(Path.GetTempPath(), $"{id}.mp4");
        await File.WriteAllBytesAsync(file, await session.Client.GetByteArrayAsync($"/v1/renders/{id}/output"));
        var probe = await new RenderOwl.Infrastructure.Media.MediaInspector(Microsoft.Extensions.Options.Options.Create(new RenderOwl.Infrastructure.Media.MediaOptions()))
            .ProbeAsync(new RenderOwl.Application.Common.Media.MediaFile(file, "video/mp4"), CancellationToken.None);
        File.Delete(file);
        Assert.Equal(("h264", 320, 240), (probe.VideoCodec, probe.Width!.Value, probe.Height!.Value));
        Assert.InRange(probe.Fps!.Value, 9.9, 10.1);
        Assert.InRange(probe.DurationSeconds!.Value, 1.9, 2.1);
        Assert.Equal(output["sha256"]!.GetValue<string>(), Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(
            await session.Client.GetByteArrayAsync($"/v1/renders/{id}/output"))));

        var history = (await (await session.Client.GetAsync($"/v1/renders/{id}/events")).ReadJsonAsync()).AsArray().Select(e => e!["status"]!.GetValue<string>()).ToList();
        Assert.Equal(["queued", "rendering", "succeeded"], history);
        // Completion effects, written with the status change.
        Assert.Equal(1, await Database.CountAsync(Fixture, $"SELECT count(*) FROM notifications.notifications WHERE type = 'render.succeeded'"));
        Assert.Equal(1, await Database.CountAsync(Fixture, $"SELECT count(*) FROM webhooks.outbox WHERE type = 'render.succeeded' AND payload->'render'->>'id' = '{id}'"));

        // The queue figures count it: succeeded in the last hour, with its wait and run times.
        var admin = await this.RegisterAdminAsync(Fixture, Anonymous);
        var figures = await (await admin.GetAsync("/internal/queues")).ReadJsonAsync();
        Assert.Equal(1, figures["succeeded_last_hour"]!.GetValue<int>());
        var normal = figures["queues"]!.AsArray().Single(q => q!["name"]!.GetValue<string>() == "renders:normal")!;
        Assert.Equal((0, 0, 0, 1), (normal["depth"]!.GetValue<int>(), normal["in_flight"]!.GetValue<int>(), normal["failed"]!.GetValue<int>(), normal["succeeded"]!.GetValue<int>()));
        Assert.Equal(done["run_ms"]!.GetValue<double>(), normal["mean_run_ms"]!.GetValue<double>());
        Assert.Equal(done["wait_ms"]!.GetValue<double>(), normal["mean_wait_ms"]!.GetValue<double>());
        Assert.Equal(done["run_ms"]!.GetValue<double>(), figures["run_p50_ms"]!.GetValue<double>());
    }

    [Fact]
    public async Task Output_settings_and_tier_limits_are_checked_with_field_paths()
    {
        var (session, project) = await this.AccountWithProjectAsync(Anonymous);
        async Task<JsonNode> Bad(object body)
            => await (await session.Client.PostAsJsonAsync($"/v1/projects/{project}/renders", body)).AssertProblemAsync(HttpStatusCode.BadRequest, "validation-failed");
        var fields = (JsonNode p) => p["errors"]!.AsArray().Select(e => e!["field"]!.GetValue<string>()).ToList();

        Assert.Contains("output_settings.width", fields(await Bad(Renders.Small(width: 65))));
        Assert.Contains("output_settings.fps", fields(await Bad(Renders.Small(fps: 0))));
        Assert.Contains("output_settings.width", fields(await Bad(Renders.Small(width: 1920, height: 1080)))); // free: 1280×720
        Assert.Contains("composition.duration", fields(await Bad(Renders.Small(duration: 31)))); // free: 30 s
        var unknownAsset = await Bad(new
        {
            composition = new { duration = 1, background = "#000000", layers = new object[] { new { type = "image", asset_id = "ast_01m84pk8kbfy78t0y0zqfzkfhc", start = 0 } } },
            output_settings = new { format = "mp4", width = 64, height = 64, fps = 5 },
        });
        Assert.Contains("composition.layers[0].asset_id", fields(unknownAsset));
        Assert.Contains("composition.background", fields(await Bad(new { composition = new { duration = 1, background = "blue", layers = Array.Empty<object>() } })));
        Assert.Contains("composition", fields(await Bad(new { output_settings = new { format = "mp4" } })));
        await (await session.Client.PostAsJsonAsync($"/v1/projects/{project}/renders", new { composition = new { duration = "x" } })).AssertProblemAsync(HttpStatusCode.BadRequest, "validation-failed");
    }

    [Fact]
    public async Task The_renders_per_hour_quota_is_429_with_Retry_After()
    {
        await using var api = Fixture.CreateFactory(new Dictionary<string, string?> { ["Tiers:Limits:free:RendersPerHour"] = "2" });
        var (session, project) = await this.AccountWithProjectAsync(api.CreateClient);
        await session.Client.SubmitAsync(project, Renders.Small());
        await session.Client.SubmitAsync(project, Renders.Small());
        var third = await session.Client.PostAsJsonAsync($"/v1/projects/{project}/renders", Renders.Small());
        await third.AssertProblemAsync(HttpStatusCode.TooManyRequests, "render-quota-exceeded");
        Assert.InRange(third.Headers.RetryAfter!.Delta!.Value.TotalMinutes, 59, 60);

        // GET /v1/me shows the same usage against the tier's limits.
        var usage = (await (await session.Client.GetAsync("/v1/me")).ReadJsonAsync())["usage"]!;
        Assert.Equal((2, 2, 0, 1, 2), (usage["renders_last_hour"]!.GetValue<int>(), usage["renders_per_hour"]!.GetValue<int>(),
            usage["renders_running"]!.GetValue<int>(), usage["concurrent_renders"]!.GetValue<int>(), usage["renders_queued"]!.GetValue<int>()));
        Assert.Null(usage["requests_remaining"]); // rate limiting is off in this test
    }

    /// <summary>Fails the first attempt of every render with a retryable error, then renders for real.</summary>
    private sealed class FlakyEngine(IRenderEngine inner) : IRenderEngine
    {
        private readonly HashSet<string> _seen = [];

        public Task<RenderOutput> RenderAsync(RenderJob job, IProgress<double>? progress, CancellationToken cancellationToken)
        {
            lock (_seen)
            {
                if (_seen.Add(job.Composition.Background + job.Composition.Duration))
                {
                    throw new RenderFailedException("engine_crashed", "The renderer stopped unexpectedly.", retryable: true);
                }
            }
            return inner.RenderAsync(job, progress, cancellationToken);
        }
    }

    [Fact]
    public async Task A_retryable_failure_requeues_with_backoff_then_succeeds()
    {
        await using var worker = Fixture.CreateFactory(Renders.WorkerWith(("Rendering:Queue:RetryBaseSeconds", "1")))
            .WithWebHostBuilder(b => b.ConfigureTestServices(s =>
            {
                var real = s.Single(d => d.ServiceType == typeof(IRenderEngine));
                s.Remove(real);
                s.AddSingleton(sp => new FlakyEngine((IRenderEngine)ActivatorUtilities.CreateInstance(sp, real.ImplementationType!)));
                s.AddSingleton<IRenderEngine>(sp => sp.GetRequiredService<FlakyEngine>());
            }));
        var (session, project) = await this.AccountWithProjectAsync(worker.CreateClient);
        var id = (await session.Client.SubmitAsync(project, Renders.Small()))["id"]!.GetValue<string>();
        var done = await session.Client.WaitForAsync(id, r => r.Status() is "succeeded" or "failed");
        Assert.Equal("succeeded", done.Status());
        Assert.Equal(2, done["attempts"]!.GetValue<int>());
        var history = (await (await session.Client.GetAsync($"/v1/renders/{id}/events")).ReadJsonAsync()).AsArray();
        Assert.Equal(["queued", "rendering", "queued", "rendering", "succeeded"], history.Select(e => e!["status"]!.GetValue<string>()));
        Assert.Equal("engine_crashed", history[2]!["code"]!.GetValue<string>());
    }

    [Fact]
    public async Task A_composition_ffmpeg_rejects_fails_with_a_code_and_no_retry()
    {
        await using var worker = Fixture.CreateFactory(Renders.Worker);
        var (session, project) = await this.AccountWithProjectAsync(worker.CreateClient);
        var asset = await (await session.Client.PostAsync($"/v1/projects/{project}/assets", TestMedia.Multipart(TestMedia.Png, "a.png", "image/png"))).ReadJsonAsync();
        // The stored file is damaged after upload: the engine's input is no longer an image.
        var key = Path.Combine(Fixture.StoragePath, await Fixture.StorageKeyAsync(asset["id"]!.GetValue<string>()));
        await File.WriteAllTextAsync(key, "no longer a picture");
        var id = (await session.Client.SubmitAsync(project, new
        {
            composition = new { duration = 1, background = "#000000", layers = new object[] { new { type = "image", asset_id = asset["id"]!.GetValue<string>(), start = 0 } } },
            output_settings = new { format = "mp4", width = 64, height = 64, fps = 5, quality = "standard" },
        }))["id"]!.GetValue<string>();
        var failed = await session.Client.WaitForAsync(id, r => r.Status() is "succeeded" or "failed");
        Assert.Equal("failed", failed.Status());
        Assert.Equal("composition_rejected", failed["error"]!["code"]!.GetValue<string>());
        Assert.Equal(1, failed["attempts"]!.GetValue<int>());
        Assert.DoesNotContain("ffmpeg", failed.ToJsonString(), StringComparison.OrdinalIgnoreCase); // no stderr for clients
    }

    [Fact]
    public async Task A_batch_of_100_reaches_the_database_as_one_insert_round_trip()
    {
        var (session, project) = await this.AccountWithProjectAsync(Anonymous, tier: "pro");
        using var trace = new DbCommandTrace();
        var items = Enumerable.Range(0, 100).Select(_ => Renders.Small()).ToList();
        var response = await session.Client.PostAsJsonAsync($"/v1/projects/{project}/renders/batch", new { renders = items });
        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);

        var mine = trace.Of(response).Select(c => c.Text).ToList();
        var inserts = mine.Where(t => t.Contains("INSERT INTO rendering.renders", StringComparison.Ordinal)).ToList();
        Assert.True(inserts.Count == 1, $"{inserts.Count} commands inserted renders; this request sent:\n{string.Join("\n---\n", mine.Select(t => t.Length > 200 ? t[..200] : t))}");
        // That one command (one round trip) holds all 100 renders and their 100 history rows.
        Assert.Equal(100, inserts[0].Split("INSERT INTO rendering.renders ").Length - 1);
        Assert.Equal(100, inserts[0].Split("INSERT INTO rendering.render_events ").Length - 1);
        Assert.Equal(100, await Database.CountAsync(Fixture, "SELECT count(*) FROM rendering.renders"));
    }

    [Fact]
    public async Task A_batch_of_100_is_one_transaction_and_an_invalid_item_rejects_all()
    {
        var (session, project) = await this.AccountWithProjectAsync(Anonymous, tier: "pro");
        var items = Enumerable.Range(0, 100).Select(_ => Renders.Small()).ToList();
        items[99] = Renders.Small(width: 33);
        var bad = await session.Client.PostAsJsonAsync($"/v1/projects/{project}/renders/batch", new { renders = items });
        var problem = await bad.AssertProblemAsync(HttpStatusCode.BadRequest, "validation-failed");
        Assert.Equal("renders[99].output_settings.width", problem["errors"]![0]!["field"]!.GetValue<string>());
        Assert.Equal(0, await Database.CountAsync(Fixture, "SELECT count(*) FROM rendering.renders"));

        items[99] = Renders.Small();
        var ok = await session.Client.PostAsJsonAsync($"/v1/projects/{project}/renders/batch", new { renders = items });
        Assert.Equal(HttpStatusCode.Accepted, ok.StatusCode);
        Assert.Equal(100, (await ok.ReadJsonAsync())["renders"]!.AsArray().Count);
        Assert.Equal(100, await Database.CountAsync(Fixture, "SELECT count(*) FROM rendering.renders"));
        var tooMany = await session.Client.PostAsJsonAsync($"/v1/projects/{project}/renders/batch", new { renders = Enumerable.Range(0, 101).Select(_ => Renders.Small()).ToArray() });
        await tooMany.AssertProblemAsync(HttpStatusCode.BadRequest, "validation-failed");

        // The queue as operators see it, and the time filters of the list.
        var admin = await this.RegisterAdminAsync(Fixture, Anonymous);
        var queues = await (await admin.GetAsync("/internal/queues")).ReadJsonAsync();
        Assert.Equal(100, queues["queued_by_priority"]!["normal"]!.GetValue<int>());
        Assert.Equal(0, queues["running"]!.GetValue<int>());
        var names = queues["queues"]!.AsArray().Select(q => q!["name"]!.GetValue<string>()).ToList();
        Assert.Equal(["renders:urgent", "renders:high", "renders:normal", "renders:low", "jobs"], names);
        Assert.Equal(100, queues["queues"]![2]!["depth"]!.GetValue<int>());
        Assert.Equal(0, queues["queues"]![0]!["depth"]!.GetValue<int>());
        // The jobs queue counts Hangfire's enqueued jobs: one more in a queue no server serves is one more here.
        var jobsBefore = queues["queues"]![4]!["depth"]!.GetValue<int>();
        var hangfire = new Hangfire.BackgroundJobClient(Fixture.Factory.Services.GetRequiredService<Hangfire.JobStorage>());
        var job = hangfire.Create(Hangfire.Common.Job.FromExpression(() => Console.WriteLine("never run")), new Hangfire.States.EnqueuedState("unserved"));
        var jobsAfter = (await (await admin.GetAsync("/internal/queues")).ReadJsonAsync())["queues"]![4]!["depth"]!.GetValue<int>();
        hangfire.ChangeState(job, new Hangfire.States.DeletedState(), null);
        Assert.Equal(jobsBefore + 1, jobsAfter);
        await (await session.Client.GetAsync("/internal/queues")).AssertProblemAsync(HttpStatusCode.Forbidden, "forbidden");
        var future = Uri.EscapeDataString(DateTimeOffset.UtcNow.AddMinutes(5).ToString("O"));
        var past = Uri.EscapeDataString(DateTimeOffset.UtcNow.AddMinutes(-5).ToString("O"));
        Assert.Empty((await (await session.Client.GetAsync($"/v1/projects/{project}/renders?created_after={future}")).ReadJsonAsync())["items"]!.AsArray());
        var recent = await (await session.Client.GetAsync($"/v1/projects/{project}/renders?created_after={past}&created_before={future}&page_size=100")).ReadJsonAsync();
        Assert.Equal(100, recent["items"]!.AsArray().Count);
    }

    [Fact]
    public async Task An_asset_used_by_a_queued_render_cannot_be_deleted()
    {
        var (session, project) = await this.AccountWithProjectAsync(Anonymous);
        var asset = (await (await session.Client.PostAsync($"/v1/projects/{project}/assets", TestMedia.Multipart(TestMedia.Png, "a.png", "image/png"))).ReadJsonAsync())["id"]!.GetValue<string>();
        var render = (await session.Client.SubmitAsync(project, new
        {
            composition = new { duration = 1, background = "#000000", layers = new object[] { new { type = "image", asset_id = asset, start = 0 } } },
            output_settings = new { format = "mp4", width = 64, height = 64, fps = 5 },
        }))["id"]!.GetValue<string>();
        await (await session.Client.DeleteAsync($"/v1/assets/{asset}")).AssertProblemAsync(HttpStatusCode.Conflict, "asset-in-use");
        await session.Client.PostAsync($"/v1/renders/{render}/cancel", null);
        Assert.Equal(HttpStatusCode.NoContent, (await session.Client.DeleteAsync($"/v1/assets/{asset}")).StatusCode);
    }

    [Fact]
    public async Task Lists_filter_by_status_and_tag()
    {
        var (session, project) = await this.AccountWithProjectAsync(Anonymous);
        var tagged = await session.Client.PostAsJsonAsync($"/v1/projects/{project}/renders", new
        {
            composition = new { duration = 1, background = "#000000", layers = Array.Empty<object>() },
            output_settings = new { format = "gif", width = 64, height = 64, fps = 5 },
            tags = new[] { "campaign-42" },
            metadata = new { customer_ref = "A-17" },
        });
        var taggedId = (await tagged.ReadJsonAsync())["id"]!.GetValue<string>();
        var other = (await session.Client.SubmitAsync(project, Renders.Small()))["id"]!.GetValue<string>();
        await session.Client.PostAsync($"/v1/renders/{other}/cancel", null);

        var byTag = await (await session.Client.GetAsync($"/v1/projects/{project}/renders?tag=campaign-42")).ReadJsonAsync();
        Assert.Equal([taggedId], byTag["items"]!.AsArray().Select(i => i!["id"]!.GetValue<string>()));
        Assert.Equal("A-17", byTag["items"]![0]!["metadata"]!["customer_ref"]!.GetValue<string>());
        var canceled = await (await session.Client.GetAsync($"/v1/projects/{project}/renders?status=canceled")).ReadJsonAsync();
        Assert.Equal([other], canceled["items"]!.AsArray().Select(i => i!["id"]!.GetValue<string>()));
        await (await session.Client.GetAsync($"/v1/projects/{project}/renders?status=bogus")).AssertProblemAsync(HttpStatusCode.BadRequest, "validation-failed");
    }
}
