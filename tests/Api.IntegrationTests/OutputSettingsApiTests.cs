using System.Net;
using System.Net.Http.Json;
using RenderOwl.Api.IntegrationTests.Infrastructure;

namespace RenderOwl.Api.IntegrationTests;

/// <summary>The output settings through the API: what is refused and why, drafts outside the quota, posters and contact sheets as downloads.</summary>
public sealed class OutputSettingsApiTests(ApiFixture fixture) : ApiTest(fixture)
{
    private static object Body(object output, string background = "#000000") => new
    {
        composition = new
        {
            duration = 2, background,
            layers = new object[] { new { type = "color", color = "#ff0000", start = 0, duration = 1 }, new { type = "color", color = "#0000ff", start = 1 } },
        },
        output_settings = output,
    };

    [Theory]
    [InlineData("""{"format":"mp4","width":64,"height":64,"fps":29.5}""", "output_settings.fps", "invalid_fps")]
    [InlineData("""{"format":"mp4","width":64,"height":64,"fps":61}""", "output_settings.fps", "inclusive_between")]
    [InlineData("""{"format":"mp4","width":64,"height":64,"still_at":1}""", "output_settings.still_at", "not_applicable")]
    [InlineData("""{"format":"png","width":64,"height":64,"still_at":5}""", "output_settings.still_at", "out_of_range")]
    [InlineData("""{"format":"png","width":64,"height":64,"range":{"start":0,"duration":1}}""", "output_settings.range", "not_applicable")]
    [InlineData("""{"format":"mp3","poster":{"at":1}}""", "output_settings.poster", "not_applicable")]
    [InlineData("""{"format":"gif","width":64,"height":64,"fps":10,"loudness":{"target_lufs":-14}}""", "output_settings.loudness", "not_applicable")]
    [InlineData("""{"format":"mp4","width":64,"height":64,"loudness":{"target_lufs":0}}""", "output_settings.loudness.target_lufs", "inclusive_between")]
    [InlineData("""{"format":"mp4","width":64,"height":64,"thumbnails":{"count":101}}""", "output_settings.thumbnails.count", "inclusive_between")]
    [InlineData("""{"format":"mp4","width":64,"height":64,"poster":{"at":3}}""", "output_settings.poster.at", "out_of_range")]
    [InlineData("""{"format":"mov","width":64,"height":64}""", "output_settings.format", null)]
    public async Task Output_settings_that_mean_nothing_are_400_naming_the_field(string output, string field, string? code)
    {
        var (session, project) = await this.AccountWithProjectAsync(Anonymous);
        var body = $$"""{"composition":{"duration":2,"background":"#000000","layers":[{"type":"color","color":"#ff0000","start":0}]},"output_settings":{{output}}}""";
        var response = await session.Client.PostAsync($"/v1/projects/{project}/renders", new StringContent(body, System.Text.Encoding.UTF8, "application/json"));
        var problem = await response.AssertProblemAsync(HttpStatusCode.BadRequest, "validation-failed");
        var errors = problem["errors"]!.AsArray();
        Assert.True(errors.Any(e => e!["field"]!.GetValue<string>() == field && (code is null || e["code"]!.GetValue<string>() == code)), errors.ToJsonString());
    }

    [Fact]
    public async Task Drafts_do_not_count_against_renders_per_hour()
    {
        await using var api = Fixture.CreateFactory(new Dictionary<string, string?> { ["Tiers:Limits:free:RendersPerHour"] = "1" });
        var (session, project) = await this.AccountWithProjectAsync(api.CreateClient);
        await session.Client.SubmitAsync(project, Body(new { format = "mp4", width = 64, height = 64, fps = 5, quality = "standard" }));
        var draft = await session.Client.SubmitAsync(project, Body(new { format = "mp4", width = 64, height = 64, fps = 5, quality = "draft" }));
        Assert.Equal("draft", draft["output_settings"]!["quality"]!.GetValue<string>());
        await session.Client.SubmitAsync(project, Body(new { format = "mp4", width = 64, height = 64, fps = 5, quality = "draft" }));
        var third = await session.Client.PostAsJsonAsync($"/v1/projects/{project}/renders", Body(new { format = "mp4", width = 64, height = 64, fps = 5, quality = "standard" }));
        await third.AssertProblemAsync(HttpStatusCode.TooManyRequests, "render-quota-exceeded");
        var usage = (await (await session.Client.GetAsync("/v1/me")).ReadJsonAsync())["usage"]!;
        Assert.Equal(1, usage["renders_last_hour"]!.GetValue<int>());
    }

    [Fact]
    public async Task A_video_render_has_a_poster_and_the_contact_sheet_it_asked_for_and_an_mp3_has_neither()
    {
        await using var worker = Fixture.CreateFactory(Renders.Worker);
        var (session, project) = await this.AccountWithProjectAsync(worker.CreateClient);
        var video = (await session.Client.SubmitAsync(project, Body(new { format = "mp4", width = 64, height = 64, fps = 10, poster = new { at = 1.5 }, thumbnails = new { count = 2 } })))["id"]!.GetValue<string>();
        var sound = (await session.Client.SubmitAsync(project, Body(new { format = "mp3" })))["id"]!.GetValue<string>();
        var done = await session.Client.WaitForAsync(video, r => r.Status() is "succeeded" or "failed");
        Assert.Equal("succeeded", done.Status());
        Assert.Equal($"/v1/renders/{video}/poster", done["output"]!["poster_url"]!.GetValue<string>());
        Assert.Equal($"/v1/renders/{video}/thumbnails", done["output"]!["thumbnails_url"]!.GetValue<string>());
        var poster = await session.Client.GetAsync($"/v1/renders/{video}/poster");
        Assert.Equal(HttpStatusCode.OK, poster.StatusCode);
        Assert.Equal("image/jpeg", poster.Content.Headers.ContentType!.MediaType);
        var bytes = await poster.Content.ReadAsByteArrayAsync();
        Assert.Equal([0xFF, 0xD8], bytes[..2]);
        var sheet = await session.Client.GetAsync($"/v1/renders/{video}/thumbnails");
        Assert.Equal(HttpStatusCode.OK, sheet.StatusCode);
        Assert.Equal("image/jpeg", sheet.Content.Headers.ContentType!.MediaType);

        var mp3 = await session.Client.WaitForAsync(sound, r => r.Status() is "succeeded" or "failed");
        Assert.Equal("succeeded", mp3.Status());
        Assert.Equal("mp3", mp3["output"]!["format"]!.GetValue<string>());
        Assert.Null(mp3["output"]!["poster_url"]);
        var download = await session.Client.GetAsync($"/v1/renders/{sound}/output");
        Assert.Equal("audio/mpeg", download.Content.Headers.ContentType!.MediaType);
        await (await session.Client.GetAsync($"/v1/renders/{sound}/poster")).AssertProblemAsync(HttpStatusCode.NotFound, "not-found");
        await (await session.Client.GetAsync($"/v1/renders/{video}/output")).Content.ReadAsByteArrayAsync();
    }

    [Fact]
    public async Task Mov_alpha_with_a_transparent_background_and_a_fractional_rate_go_through_the_api()
    {
        await using var worker = Fixture.CreateFactory(Renders.Worker);
        var (session, project) = await this.AccountWithProjectAsync(worker.CreateClient);
        var id = (await session.Client.SubmitAsync(project, Body(new { format = "mov_alpha", width = 64, height = 64, fps = 29.97 }, background: "transparent")))["id"]!.GetValue<string>();
        var done = await session.Client.WaitForAsync(id, r => r.Status() is "succeeded" or "failed");
        Assert.Equal("succeeded", done.Status());
        Assert.Equal("mov_alpha", done["output"]!["format"]!.GetValue<string>());
        Assert.Equal(29.97, done["output"]!["fps"]!.GetValue<double>());
        Assert.Equal(29.97, done["output_settings"]!["fps"]!.GetValue<double>());
        var download = await session.Client.GetAsync($"/v1/renders/{id}/output");
        Assert.Equal("video/quicktime", download.Content.Headers.ContentType!.MediaType);
        Assert.EndsWith(".mov", download.Content.Headers.ContentDisposition!.FileName!.Trim('"'), StringComparison.Ordinal);
    }
}
