using System.Net;
using System.Net.Http.Json;
using System.Text;
using RenderOwl.Api.IntegrationTests.Infrastructure;

namespace RenderOwl.Api.IntegrationTests;

/// <summary>Subtitle and font uploads: typed by content, checked line by line, and used by caption and text layers.</summary>
public sealed class TextAssetTests(ApiFixture fixture) : ApiTest(fixture)
{
    private const string Vtt = "WEBVTT\n\n00:00:00.500 --> 00:00:01.750\nHello\n\n00:00:02.000 --> 00:00:03.250\n<b>World</b>\n";

    private static async Task<HttpResponseMessage> UploadAsync(Session session, string project, byte[] bytes, string name, string type = "application/octet-stream")
        => await session.Client.PostAsync($"/v1/projects/{project}/assets", TestMedia.Multipart(bytes, name, type));

    [Fact]
    public async Task A_webvtt_file_is_a_subtitle_asset_whose_duration_is_its_last_cue()
    {
        var (session, project) = await this.AccountWithProjectAsync(Anonymous);
        var created = await UploadAsync(session, project, Encoding.UTF8.GetBytes(Vtt), "captions.txt", "text/plain");
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        var asset = await created.ReadJsonAsync();
        Assert.Equal(("subtitle", "text/vtt", 3.25), (asset["kind"]!.GetValue<string>(), asset["content_type"]!.GetValue<string>(), asset["duration_seconds"]!.GetValue<double>()));

        // A caption layer without a duration, in a composition without one: both end with the last cue.
        var render = await session.Client.SubmitAsync(project, new
        {
            composition = new { background = "#000000", layers = new object[] { new { type = "caption", asset_id = asset["id"]!.GetValue<string>(), start = 1 } } },
            output_settings = new { format = "mp4", width = 64, height = 64, fps = 5, quality = "standard" },
        });
        Assert.Equal("queued", render["status"]!.GetValue<string>());
    }

    [Fact]
    public async Task A_broken_srt_is_refused_with_the_line_that_is_wrong()
    {
        var (session, project) = await this.AccountWithProjectAsync(Anonymous);
        var srt = "1\n00:00:01,000 --> 00:00:02,000\nfine\n\n2\n00:00:05,000 --> 00:00:04,000\nends before it starts\n";
        var problem = await (await UploadAsync(session, project, Encoding.UTF8.GetBytes(srt), "subs.srt")).AssertProblemAsync(HttpStatusCode.BadRequest, "validation-failed");
        var error = problem["errors"]![0]!;
        Assert.Equal(("file", "invalid_subtitle"), (error["field"]!.GetValue<string>(), error["code"]!.GetValue<string>()));
        Assert.StartsWith("Line 6:", error["message"]!.GetValue<string>(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Inline_captions_are_checked_on_their_field()
    {
        var (session, project) = await this.AccountWithProjectAsync(Anonymous);
        var problem = await (await session.Client.PostAsJsonAsync($"/v1/projects/{project}/renders", new
        {
            composition = new { duration = 2, background = "#000000", layers = new object[] { new { type = "caption", srt = "1\nnot a timing line\nhi\n", start = 0 } } },
        })).AssertProblemAsync(HttpStatusCode.BadRequest, "validation-failed");
        Assert.Equal(("composition.layers[0].srt", "invalid_subtitle"), (problem["errors"]![0]!["field"]!.GetValue<string>(), problem["errors"]![0]!["code"]!.GetValue<string>()));
    }

    [Fact]
    public async Task A_font_file_is_a_font_asset_named_by_its_family_and_text_layers_may_use_it()
    {
        var (session, project) = await this.AccountWithProjectAsync(Anonymous);
        var bytes = await File.ReadAllBytesAsync("/usr/share/fonts/truetype/noto/NotoSerifDisplay-Regular.ttf");
        var created = await UploadAsync(session, project, bytes, "display.bin");
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        var font = await created.ReadJsonAsync();
        Assert.Equal(("font", "Noto Serif Display"), (font["kind"]!.GetValue<string>(), font["font_family"]!.GetValue<string>()));

        object Body(string family, object fonts) => new
        {
            composition = new
            {
                duration = 1, background = "#000000", fonts,
                layers = new object[] { new { type = "text", text = "mono", start = 0, style = new { font_family = family } } },
            },
            output_settings = new { format = "mp4", width = 64, height = 64, fps = 5, quality = "standard" },
        };
        var listed = new[] { new { asset_id = font["id"]!.GetValue<string>() } };
        Assert.Equal("queued", (await session.Client.SubmitAsync(project, Body("Noto Serif Display", listed)))["status"]!.GetValue<string>());

        var unlisted = await (await session.Client.PostAsJsonAsync($"/v1/projects/{project}/renders", Body("Noto Serif Display", Array.Empty<object>())))
            .AssertProblemAsync(HttpStatusCode.BadRequest, "validation-failed");
        Assert.Equal("composition.layers[0].style.font_family", unlisted["errors"]![0]!["field"]!.GetValue<string>());
        var unknown = await (await session.Client.PostAsJsonAsync($"/v1/projects/{project}/renders", Body("Papyrus", listed)))
            .AssertProblemAsync(HttpStatusCode.BadRequest, "validation-failed");
        Assert.Equal(("composition.layers[0].style.font_family", "unknown_font"), (unknown["errors"]![0]!["field"]!.GetValue<string>(), unknown["errors"]![0]!["code"]!.GetValue<string>()));
    }
}
