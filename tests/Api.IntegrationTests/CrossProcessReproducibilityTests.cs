using RenderOwl.Api.IntegrationTests.Infrastructure;

namespace RenderOwl.Api.IntegrationTests;

/// <summary>A manifest renders to the same bytes in another worker process (its own ffmpeg runs, paths and scratch files).</summary>
public sealed class CrossProcessReproducibilityTests(ApiFixture fixture) : ApiTest(fixture)
{
    private static object Body() => new
    {
        composition = new
        {
            duration = 2, background = "#101820",
            layers = new object[]
            {
                new { type = "color", color = "#1e90ff", start = 0, duration = 1, transition = new { @in = new { type = "slide_left", duration = 0.5 } } },
                new { type = "text", text = "Same bytes, every time", start = 0.2, style = new { font_size = 18 } },
                new { type = "shape", shape = "ellipse", color = "#ffcc00", start = 0.5, size = new { width = 30, height = 30 }, keyframes = new { x = new object[] { new { time = 0, value = 10 }, new { time = 1.5, value = 120 } } } },
            },
        },
        output_settings = new { format = "mp4", width = 160, height = 120, fps = 15 },
        cache = false, // rendered each time: the point is the engine, not memoization
    };

    [Fact]
    public async Task The_same_composition_rendered_in_this_process_and_in_a_worker_process_has_the_same_sha256()
    {
        var session = await this.RegisterUserAsync(Anonymous);
        var project = (await session.Client.CreateProjectAsync("reproducible"))["id"]!.GetValue<string>();
        string here;
        await using (var worker = Fixture.CreateFactory(Renders.Worker))
        {
            _ = worker.Services;
            var id = (await session.Client.SubmitAsync(project, Body()))["id"]!.GetValue<string>();
            var done = await session.Client.WaitForAsync(id, r => r.Status() is "succeeded" or "failed");
            Assert.Equal("succeeded", done.Status());
            here = done["output"]!["sha256"]!.GetValue<string>();
        }
        using var process = ApiProcess.Start(Fixture.Settings(Renders.Worker), role: "worker");
        var other = (await session.Client.SubmitAsync(project, Body()))["id"]!.GetValue<string>();
        var there = await session.Client.WaitForAsync(other, r => r.Status() is "succeeded" or "failed", TimeSpan.FromSeconds(120));
        Assert.Equal("succeeded", there.Status());
        Assert.False(there["cached"]!.GetValue<bool>());
        Assert.Equal(here, there["output"]!["sha256"]!.GetValue<string>());
    }
}
