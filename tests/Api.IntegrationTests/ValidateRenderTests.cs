using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using RenderOwl.Api.IntegrationTests.Infrastructure;

namespace RenderOwl.Api.IntegrationTests;

/// <summary>The dry run: errors, one composition per layout warning, the resolved timeline, an estimate; and fail_on_warnings.</summary>
public sealed class ValidateRenderTests(ApiFixture fixture) : ApiTest(fixture)
{
    private static object Body(object[] layers, double? duration = 2, bool failOnWarnings = false) => new
    {
        composition = new { duration, background = "#000000", layers },
        output_settings = new { format = "mp4", width = 320, height = 240, fps = 10, quality = "standard" },
        fail_on_warnings = failOnWarnings,
    };

    private static async Task<JsonNode> ValidateAsync(Session session, string project, object body)
    {
        var response = await session.Client.PostAsJsonAsync($"/v1/projects/{project}/renders/validate", body);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return await response.ReadJsonAsync();
    }

    private static List<(string Field, string Code)> Warnings(JsonNode check)
        => [.. check["warnings"]!.AsArray().Select(w => (w!["field"]!.GetValue<string>(), w["code"]!.GetValue<string>()))];

    private static async Task<string> UploadAsync(Session session, string project, byte[] bytes, string name, string type)
        => (await (await session.Client.PostAsync($"/v1/projects/{project}/assets", TestMedia.Multipart(bytes, name, type))).ReadJsonAsync())["id"]!.GetValue<string>();

    [Fact]
    public async Task A_clean_composition_is_valid_with_its_timeline_and_an_estimate_and_nothing_is_queued()
    {
        var (session, project) = await this.AccountWithProjectAsync(Anonymous);
        var check = await ValidateAsync(session, project, Body(
        [
            new { id = "intro", type = "text", text = "Hello", start = 0, duration = 1.5 },
            new { type = "color", color = "#1e90ff", start = "after:intro", duration = 1, size = new { width = 100, height = 100 } },
        ], duration: null));
        Assert.True(check["valid"]!.GetValue<bool>());
        Assert.Empty(check["errors"]!.AsArray());
        Assert.Empty(check["warnings"]!.AsArray());
        Assert.Equal(2.5, check["resolved"]!["duration"]!.GetValue<double>()); // no duration given: it ends with the colour
        var second = check["resolved"]!["layers"]![1]!;
        Assert.Equal((1, 1.5, 2.5), (second["index"]!.GetValue<int>(), second["start"]!.GetValue<double>(), second["end"]!.GetValue<double>()));
        Assert.True(check["estimate"]!["render_seconds"]!.GetValue<double>() > 0);
        Assert.True(check["estimate"]!["output_bytes"]!.GetValue<long>() > 0);
        Assert.Empty((await (await session.Client.GetAsync($"/v1/projects/{project}/renders")).ReadJsonAsync())["items"]!.AsArray());
    }

    [Fact]
    public async Task Errors_come_back_in_the_body_and_another_accounts_project_is_404()
    {
        var (session, project) = await this.AccountWithProjectAsync(Anonymous);
        var check = await ValidateAsync(session, project, Body([new { type = "color", color = "#ffffff", start = 0, anchor = "middle" }]));
        Assert.False(check["valid"]!.GetValue<bool>());
        Assert.Equal("composition.layers[0].anchor", check["errors"]![0]!["field"]!.GetValue<string>());
        var other = await this.RegisterUserAsync(Anonymous);
        await (await other.Client.PostAsJsonAsync($"/v1/projects/{project}/renders/validate", Body([]))).AssertProblemAsync(HttpStatusCode.NotFound, "not-found");
    }

    [Fact]
    public async Task Each_layout_problem_is_its_own_warning_on_its_field()
    {
        var (session, project) = await this.AccountWithProjectAsync(Anonymous);
        var png = await UploadAsync(session, project, TestMedia.Png, "small.png", "image/png");   // 64×48
        var wav = await UploadAsync(session, project, TestMedia.Wav, "tone.wav", "audio/wav");    // 2 s
        async Task Expect(object layer, string field, string code)
            => Assert.Contains((field, code), Warnings(await ValidateAsync(session, project, Body([layer], duration: 4))));

        await Expect(new { type = "text", text = "Far too many words for such a small box, at this size", start = 0, size = new { width = 100, height = 30 }, style = new { font_size = 24 } },
            "composition.layers[0].text", "text_overflow");
        await Expect(new { type = "text", text = "a\uE000b", start = 0 }, "composition.layers[0].text", "missing_glyphs");
        await Expect(new { type = "color", color = "#ffffff", start = 0, size = new { width = 50, height = 50 }, position = new { x = 400, y = 10 } }, "composition.layers[0].position", "off_canvas");
        await Expect(new { type = "color", color = "#ffffff", start = 0, opacity = 0 }, "composition.layers[0].opacity", "hidden");
        await Expect(new { type = "audio", asset_id = wav, start = 0, duration = 3.5 }, "composition.layers[0].duration", "media_shorter_than_layer");
        await Expect(new { type = "image", asset_id = png, start = 0, size = new { width = 320, height = 240 } }, "composition.layers[0].size", "upscaled");

        var covered = Warnings(await ValidateAsync(session, project, Body(
            [new { type = "text", text = "under", start = 1, duration = 1 }, new { type = "color", color = "#ffffff", start = 0 }], duration: 4)));
        Assert.Contains(("composition.layers[0]", "hidden"), covered);

        var fine = Warnings(await ValidateAsync(session, project, Body(
            [new { type = "image", asset_id = png, start = 0, size = new { width = 100, height = 75 } }, new { type = "audio", asset_id = wav, start = 0 }], duration: 2)));
        Assert.Empty(fine); // 1.6× is not upscaled; the audio lasts its media
    }

    [Fact]
    public async Task Fail_on_warnings_refuses_a_render_with_its_warnings_as_field_errors()
    {
        var (session, project) = await this.AccountWithProjectAsync(Anonymous);
        object[] layers = [new { type = "color", color = "#ffffff", start = 0, opacity = 0 }];
        var refused = await (await session.Client.PostAsJsonAsync($"/v1/projects/{project}/renders", Body(layers, failOnWarnings: true)))
            .AssertProblemAsync(HttpStatusCode.BadRequest, "validation-failed");
        Assert.Equal(("composition.layers[0].opacity", "hidden"), (refused["errors"]![0]!["field"]!.GetValue<string>(), refused["errors"]![0]!["code"]!.GetValue<string>()));
        Assert.Equal(HttpStatusCode.Accepted, (await session.Client.PostAsJsonAsync($"/v1/projects/{project}/renders", Body(layers))).StatusCode);
    }
}
