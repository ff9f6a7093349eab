using System.Net;
using System.Net.Http.Headers;
using System.Security.Cryptography;
using RenderOwl.Api.IntegrationTests.Infrastructure;

namespace RenderOwl.Api.IntegrationTests;

public sealed class AssetsTests(ApiFixture fixture) : ApiTest(fixture)
{
    private int StoredFiles() => Directory.Exists(Path.Combine(Fixture.StoragePath, "assets"))
        ? Directory.EnumerateFiles(Path.Combine(Fixture.StoragePath, "assets"), "*", SearchOption.AllDirectories).Count()
        : 0;

    [Fact]
    public async Task An_uploaded_image_is_typed_by_content_listed_and_downloadable_with_ranges()
    {
        var session = await this.RegisterUserAsync(Anonymous);
        var project = (await session.Client.CreateProjectAsync("media"))["id"]!.GetValue<string>();
        // The declared name and type lie; the content decides.
        var response = await session.Client.PostAsync($"/v1/projects/{project}/assets", TestMedia.Multipart(TestMedia.Png, "holiday.mp3", "audio/mpeg"));
        Assert.True(response.StatusCode == HttpStatusCode.Created, await response.Content.ReadAsStringAsync());
        var asset = await response.ReadJsonAsync();
        var id = asset["id"]!.GetValue<string>();
        Assert.StartsWith("ast_", id, StringComparison.Ordinal);
        Assert.Equal($"/v1/assets/{id}", response.Headers.Location!.ToString());
        Assert.Equal("image", asset["kind"]!.GetValue<string>());
        Assert.Equal("image/png", asset["content_type"]!.GetValue<string>());
        Assert.Equal(64, asset["width"]!.GetValue<int>());
        Assert.Equal(48, asset["height"]!.GetValue<int>());
        Assert.Null(asset["duration_seconds"]);
        Assert.Equal(TestMedia.Png.Length, asset["size_bytes"]!.GetValue<long>());
        Assert.Equal(Convert.ToHexStringLower(SHA256.HashData(TestMedia.Png)), asset["sha256"]!.GetValue<string>());

        var list = await (await session.Client.GetAsync($"/v1/projects/{project}/assets")).ReadJsonAsync();
        Assert.Equal(id, list["items"]![0]!["id"]!.GetValue<string>());

        var content = await session.Client.GetAsync($"/v1/assets/{id}/content");
        Assert.Equal(HttpStatusCode.OK, content.StatusCode);
        Assert.Equal(TestMedia.Png, await content.Content.ReadAsByteArrayAsync());
        Assert.Equal("attachment", content.Content.Headers.ContentDisposition!.DispositionType);
        Assert.Equal("image/png", content.Content.Headers.ContentType!.MediaType);
        var etag = content.Headers.ETag!;

        var range = new HttpRequestMessage(HttpMethod.Get, $"/v1/assets/{id}/content");
        range.Headers.Range = new RangeHeaderValue(8, 15);
        var partial = await session.Client.SendAsync(range);
        Assert.Equal(HttpStatusCode.PartialContent, partial.StatusCode);
        Assert.Equal(TestMedia.Png[8..16], await partial.Content.ReadAsByteArrayAsync());
        Assert.Equal($"bytes 8-15/{TestMedia.Png.Length}", partial.Content.Headers.ContentRange!.ToString());

        var cached = await session.Client.SendAsync(TestHttp.Request(HttpMethod.Get, $"/v1/assets/{id}/content", null, ("If-None-Match", etag.Tag)));
        Assert.Equal(HttpStatusCode.NotModified, cached.StatusCode);

        var filesBefore = StoredFiles();
        Assert.Equal(HttpStatusCode.NoContent, (await session.Client.DeleteAsync($"/v1/assets/{id}")).StatusCode);
        await (await session.Client.GetAsync($"/v1/assets/{id}/content")).AssertProblemAsync(HttpStatusCode.NotFound, "not-found");
        Assert.Equal(filesBefore - 1, StoredFiles());
    }

    [Fact]
    public async Task Audio_and_video_get_their_duration()
    {
        var session = await this.RegisterUserAsync(Anonymous);
        var project = (await session.Client.CreateProjectAsync("media"))["id"]!.GetValue<string>();
        var wav = await (await session.Client.PostAsync($"/v1/projects/{project}/assets", TestMedia.Multipart(TestMedia.Wav, "a.bin", "application/octet-stream"))).ReadJsonAsync();
        Assert.Equal("audio", wav["kind"]!.GetValue<string>());
        Assert.InRange(wav["duration_seconds"]!.GetValue<double>(), 1.9, 2.1);
        var mp4 = await (await session.Client.PostAsync($"/v1/projects/{project}/assets", TestMedia.Multipart(TestMedia.Mp4, "clip.mp4", "video/mp4"))).ReadJsonAsync();
        Assert.Equal("video", mp4["kind"]!.GetValue<string>());
        Assert.Equal("video/mp4", mp4["content_type"]!.GetValue<string>());
        Assert.Equal(160, mp4["width"]!.GetValue<int>());
        Assert.InRange(mp4["duration_seconds"]!.GetValue<double>(), 1.9, 2.1);
    }

    [Fact]
    public async Task A_text_file_pretending_to_be_an_image_is_400_and_nothing_is_kept()
    {
        var session = await this.RegisterUserAsync(Anonymous);
        var project = (await session.Client.CreateProjectAsync("media"))["id"]!.GetValue<string>();
        var before = StoredFiles();
        var fake = System.Text.Encoding.UTF8.GetBytes("I am not a picture, just text with a .png name.");
        var response = await session.Client.PostAsync($"/v1/projects/{project}/assets", TestMedia.Multipart(fake, "photo.png", "image/png"));
        await response.AssertProblemAsync(HttpStatusCode.BadRequest, "unsupported-media");
        Assert.Equal(before, StoredFiles());
        Assert.Empty((await (await session.Client.GetAsync($"/v1/projects/{project}/assets")).ReadJsonAsync())["items"]!.AsArray());
    }

    [Fact]
    public async Task A_decompression_bomb_is_refused_unread()
    {
        var session = await this.RegisterUserAsync(Anonymous);
        var project = (await session.Client.CreateProjectAsync("media"))["id"]!.GetValue<string>();
        var response = await session.Client.PostAsync($"/v1/projects/{project}/assets", TestMedia.Multipart(TestMedia.DecompressionBomb(), "bomb.png", "image/png"));
        var problem = await response.AssertProblemAsync(HttpStatusCode.BadRequest, "unsupported-media");
        Assert.Contains("1000000000", problem["detail"]!.GetValue<string>().Replace(",", "", StringComparison.Ordinal).Replace(" ", "", StringComparison.Ordinal), StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_upload_over_the_tier_limit_is_413_and_nothing_is_kept()
    {
        await using var factory = Fixture.CreateFactory(new Dictionary<string, string?> { ["Tiers:Limits:free:MaxAssetBytes"] = "1000" });
        var session = await this.RegisterUserAsync(factory.CreateClient);
        var project = (await session.Client.CreateProjectAsync("media"))["id"]!.GetValue<string>();
        var before = StoredFiles();
        var response = await session.Client.PostAsync($"/v1/projects/{project}/assets", TestMedia.Multipart(TestMedia.Wav, "big.wav", "audio/wav"));
        await response.AssertProblemAsync(HttpStatusCode.RequestEntityTooLarge, "payload-too-large");
        Assert.Equal(before, StoredFiles());
    }

    [Fact]
    public async Task A_multipart_body_without_a_file_is_400()
    {
        var session = await this.RegisterUserAsync(Anonymous);
        var project = (await session.Client.CreateProjectAsync("media"))["id"]!.GetValue<string>();
        var form = new MultipartFormDataContent { { new StringContent("x"), "note" } };
        var problem = await (await session.Client.PostAsync($"/v1/projects/{project}/assets", form)).AssertProblemAsync(HttpStatusCode.BadRequest, "validation-failed");
        Assert.Equal("file", problem["errors"]![0]!["field"]!.GetValue<string>());
    }
}
