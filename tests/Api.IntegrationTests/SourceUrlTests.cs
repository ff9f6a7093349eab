using System.Net;
using System.Net.Http.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using RenderOwl.Api.IntegrationTests.Infrastructure;

namespace RenderOwl.Api.IntegrationTests;

/// <summary>
/// <c>src</c> on image, video and audio layers: imported into the account's assets at submission, revalidated by ETag so a
/// URL is downloaded once, refused as a field error on the layer when it cannot be used.
/// </summary>
public sealed class SourceUrlTests(ApiFixture fixture) : ApiTest(fixture)
{
    private const string ETag = "\"red-v1\"";

    private static object Body(string url, bool? cache = null) => new
    {
        composition = new
        {
            duration = 1, background = "#000000",
            layers = new object[] { new { type = "image", src = url, start = 0, fit = "fill", size = new { width = "100%", height = "100%" } } },
        },
        output_settings = new { format = "mp4", width = 64, height = 64, fps = 5 },
        cache,
    };

    [Fact]
    public async Task A_url_is_fetched_once_for_two_renders_and_rendered_from_the_asset_it_became()
    {
        var (full, conditional) = (0, 0);
        await using var source = await LoopbackServer.StartAsync(app => app.MapGet("/red.png", (HttpContext http) =>
        {
            if (http.Request.Headers.IfNoneMatch.ToString() == ETag)
            {
                Interlocked.Increment(ref conditional);
                return Results.StatusCode(StatusCodes.Status304NotModified);
            }
            Interlocked.Increment(ref full);
            http.Response.Headers.ETag = ETag;
            return LoopbackServer.File(TestMedia.Png, "image/png");
        }));
        await using var worker = Fixture.CreateFactory(Renders.WorkerWith(("Rendering:Sources:AllowHttp", "true"), ("Fetch:AllowedEndpoints:0", $"127.0.0.1:{source.Port}")));
        var (session, project) = await this.AccountWithProjectAsync(worker.CreateClient);
        var url = source.Url("/red.png");

        var first = (await session.Client.SubmitAsync(project, Body(url)))["id"]!.GetValue<string>();
        var second = (await session.Client.SubmitAsync(project, Body(url, cache: false)))["id"]!.GetValue<string>();
        Assert.Equal((1, 1), (full, conditional)); // the second render revalidated: 304, nothing downloaded

        var assets = (await (await session.Client.GetAsync($"/v1/projects/{project}/assets")).ReadJsonAsync())["items"]!.AsArray();
        var asset = Assert.Single(assets)!;
        Assert.Equal(url, asset["source_url"]!.GetValue<string>());
        Assert.Equal("image", asset["kind"]!.GetValue<string>());
        foreach (var id in new[] { first, second })
        {
            var done = await session.Client.WaitForAsync(id, r => r.Status() is "succeeded" or "failed");
            Assert.Equal("succeeded", done.Status());
            var manifest = await (await session.Client.GetAsync($"/v1/renders/{id}/manifest")).ReadJsonAsync();
            Assert.Equal(asset["id"]!.GetValue<string>(), manifest["assets"]![0]!["asset_id"]!.GetValue<string>());
        }
        // The picture is the URL's red image, filling the frame.
        var video = await session.Client.GetByteArrayAsync($"/v1/renders/{first}/output");
        var file = Path.Combine(Path.GetTempPath(), $"src-{Guid.NewGuid():N}.mp4");
        await File.WriteAllBytesAsync(file, video);
        try
        {
            var rgb = Pixel(file, 0.5, 32, 32, 64);
            Assert.True(rgb[0] > 200 && rgb[1] < 60 && rgb[2] < 60, $"not red: {string.Join(',', rgb)}");
        }
        finally
        {
            File.Delete(file);
        }
    }

    /// <summary>The RGB of pixel (x, y) of the frame at <paramref name="seconds"/>, decoded by ffmpeg.</summary>
    private static byte[] Pixel(string file, double seconds, int x, int y, int width)
    {
        var start = new System.Diagnostics.ProcessStartInfo("ffmpeg") { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var a in new[] { "-hide_banner", "-loglevel", "error", "-ss", seconds.ToString(System.Globalization.CultureInfo.InvariantCulture), "-i", file,
                     "-frames:v", "1", "-f", "rawvideo", "-pix_fmt", "rgb24", "pipe:1" })
        {
            start.ArgumentList.Add(a);
        }
        using var p = System.Diagnostics.Process.Start(start)!;
        using var raw = new MemoryStream();
        p.StandardOutput.BaseStream.CopyTo(raw);
        p.WaitForExit();
        var i = ((y * width) + x) * 3;
        return raw.ToArray()[i..(i + 3)];
    }

    [Fact]
    public async Task A_source_that_cannot_be_used_is_a_400_naming_the_layer()
    {
        await using var source = await LoopbackServer.StartAsync(app =>
        {
            app.MapGet("/missing.png", () => Results.NotFound());
            app.MapGet("/text.png", () => Results.Text("not an image", "image/png"));
        });
        await using var api = Fixture.CreateFactory(new Dictionary<string, string?>
        {
            ["Rendering:Sources:AllowHttp"] = "true", ["Fetch:AllowedEndpoints:0"] = $"127.0.0.1:{source.Port}",
        });
        var (session, project) = await this.AccountWithProjectAsync(api.CreateClient);
        async Task Refused(string url, string code)
        {
            var response = await session.Client.PostAsJsonAsync($"/v1/projects/{project}/renders", Body(url));
            var problem = await response.AssertProblemAsync(HttpStatusCode.BadRequest, "validation-failed");
            var error = Assert.Single(problem["errors"]!.AsArray())!;
            Assert.Equal("composition.layers[0].src", error["field"]!.GetValue<string>());
            Assert.Equal(code, error["code"]!.GetValue<string>());
        }
        await Refused(source.Url("/missing.png"), "fetch_failed");
        await Refused(source.Url("/text.png"), "unsupported_media");
        await Refused("http://10.0.0.1/x.png", "url_not_allowed");
        Assert.Empty((await (await session.Client.GetAsync($"/v1/projects/{project}/assets")).ReadJsonAsync())["items"]!.AsArray());
    }

    [Fact]
    public async Task Src_is_https_only_and_exclusive_with_asset_id()
    {
        var (session, project) = await this.AccountWithProjectAsync(Anonymous);
        var plain = await session.Client.PostAsJsonAsync($"/v1/projects/{project}/renders", Body("http://example.com/x.png"));
        var problem = await plain.AssertProblemAsync(HttpStatusCode.BadRequest, "validation-failed");
        Assert.Equal("https_required", problem["errors"]![0]!["code"]!.GetValue<string>());
        var both = await session.Client.PostAsJsonAsync($"/v1/projects/{project}/renders", new
        {
            composition = new { duration = 1, background = "#000000", layers = new object[] { new { type = "image", src = "https://example.com/x.png", asset_id = "ast_01m8zzzzzzzzzzzzzzzzzzzzzz", start = 0 } } },
        });
        var exclusive = await both.AssertProblemAsync(HttpStatusCode.BadRequest, "validation-failed");
        Assert.Contains(exclusive["errors"]!.AsArray(), e => e!["field"]!.GetValue<string>() == "composition.layers[0].src" && e["code"]!.GetValue<string>() == "exclusive");
        var onText = await session.Client.PostAsJsonAsync($"/v1/projects/{project}/renders", new
        {
            composition = new { duration = 1, background = "#000000", layers = new object[] { new { type = "text", text = "x", src = "https://example.com/x.png", start = 0 } } },
        });
        await onText.AssertProblemAsync(HttpStatusCode.BadRequest, "validation-failed");
    }
}
