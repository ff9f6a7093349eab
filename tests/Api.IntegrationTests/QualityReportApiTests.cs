using RenderOwl.Api.IntegrationTests.Infrastructure;

namespace RenderOwl.Api.IntegrationTests;

/// <summary>A finished render shows the quality report measured on its output, stored with it.</summary>
public sealed class QualityReportApiTests(ApiFixture fixture) : ApiTest(fixture)
{
    [Fact]
    public async Task A_succeeded_render_carries_its_quality_report()
    {
        await using var worker = Fixture.CreateFactory(Renders.Worker);
        var (session, project) = await this.AccountWithProjectAsync(worker.CreateClient);
        var render = (await session.Client.SubmitAsync(project, new
        {
            composition = new
            {
                duration = 2, background = "#000000",
                layers = new object[] { new { type = "color", color = "#ffffff", start = 1 } }, // black for the first second
            },
            output_settings = new { format = "mp4", width = 64, height = 64, fps = 10, quality = "standard" },
        }))["id"]!.GetValue<string>();
        var done = await session.Client.WaitForAsync(render, r => r.Status() == "succeeded");

        var qc = done["output"]!["qc"]!;
        Assert.Null(qc["integrated_lufs"]); // no sound
        var black = Assert.Single(qc["black_segments"]!.AsArray())!;
        Assert.InRange(black["start"]!.GetValue<double>(), 0, 0.05);
        Assert.InRange(black["end"]!.GetValue<double>(), 0.9, 1.1);
        Assert.Empty(qc["silent_segments"]!.AsArray());
        Assert.NotEmpty(qc["frozen_segments"]!.AsArray()); // two stills
        var listed = (await (await session.Client.GetAsync($"/v1/projects/{project}/renders")).ReadJsonAsync())["items"]![0]!;
        Assert.Equal(qc.ToJsonString(), listed["output"]!["qc"]!.ToJsonString()); // the same from the stored row
    }
}
