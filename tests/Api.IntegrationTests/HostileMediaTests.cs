using System.Net;
using RenderOwl.Api.IntegrationTests.Infrastructure;
using RenderOwl.Domain.Common;

namespace RenderOwl.Api.IntegrationTests;

/// <summary>The hostile uploads of the security review (docs/security.md, "Disguised media" and "Image bombs").</summary>
public sealed class HostileMediaTests(ApiFixture fixture) : ApiTest(fixture)
{
    private async Task<(Session Session, string Project)> ProjectAsync()
    {
        var session = await this.RegisterUserAsync(Anonymous);
        return (session, (await session.Client.CreateProjectAsync("media"))["id"]!.GetValue<string>());
    }

    private static Task<HttpResponseMessage> UploadAsync(Session session, string project, byte[] bytes, string name = "upload.mp3", string type = "audio/mpeg")
        => session.Client.PostAsync($"/v1/projects/{project}/assets", TestMedia.Multipart(bytes, name, type));

    private int StoredFiles() => Directory.Exists(Path.Combine(Fixture.StoragePath, "assets"))
        ? Directory.EnumerateFiles(Path.Combine(Fixture.StoragePath, "assets"), "*", SearchOption.AllDirectories).Count()
        : 0;

    [Fact]
    public async Task An_id3_tag_in_front_of_an_ffconcat_script_naming_another_accounts_asset_is_refused()
    {
        var (victim, victimProject) = await ProjectAsync();
        var secret = await (await UploadAsync(victim, victimProject, TestMedia.FastStartMp4, "private.mp4", "video/mp4")).ReadJsonAsync(); // video with sound
        var secretId = secret["id"]!.GetValue<string>();
        var storedName = Path.GetFileName(await Fixture.StorageKeyAsync(secretId));
        var (attacker, project) = await ProjectAsync();
        var before = StoredFiles();

        // The name the old storage derived from the public id, and the file's real name (as if it had leaked).
        foreach (var name in new[] { AssetId.Parse(secretId, null).Value.ToString("N"), storedName })
        {
            var response = await UploadAsync(attacker, project, HostileMedia.Id3Concat(name));
            await response.AssertProblemAsync(HttpStatusCode.BadRequest, "unsupported-media");
        }
        Assert.Equal(before, StoredFiles());
        Assert.Empty((await (await attacker.Client.GetAsync($"/v1/projects/{project}/assets")).ReadJsonAsync())["items"]!.AsArray());
    }

    [Fact]
    public async Task An_id3_tag_in_front_of_an_hls_playlist_of_a_media_file_on_the_server_is_refused()
    {
        // A media file on the server whose extension matches its format (as render outputs' do).
        var folder = Directory.CreateTempSubdirectory("renderowl-secret-").FullName;
        var path = Path.Combine(folder, "secret.ts");
        await File.WriteAllBytesAsync(path, TestMedia.MpegTs);
        try
        {
            var (attacker, project) = await ProjectAsync();
            var response = await UploadAsync(attacker, project, HostileMedia.Id3Playlist(path));
            await response.AssertProblemAsync(HttpStatusCode.BadRequest, "unsupported-media");
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }

    [Fact]
    public async Task A_real_mp3_behind_an_id3_tag_is_audio_with_its_duration()
    {
        var (session, project) = await ProjectAsync();
        var response = await UploadAsync(session, project, TestMedia.Mp3, "tone.bin", "application/octet-stream");
        Assert.True(response.StatusCode == HttpStatusCode.Created, await response.Content.ReadAsStringAsync());
        var asset = await response.ReadJsonAsync();
        Assert.Equal(("audio", "audio/mpeg"), (asset["kind"]!.GetValue<string>(), asset["content_type"]!.GetValue<string>()));
        Assert.InRange(asset["duration_seconds"]!.GetValue<double>(), 1.9, 2.2);
    }

    [Fact]
    public async Task Storage_keys_are_random_and_not_derived_from_public_ids()
    {
        var (session, project) = await ProjectAsync();
        var keys = new List<string>();
        for (var i = 0; i < 2; i++)
        {
            var id = (await (await UploadAsync(session, project, TestMedia.Png, "a.png", "image/png")).ReadJsonAsync())["id"]!.GetValue<string>();
            var key = await Fixture.StorageKeyAsync(id);
            var guid = AssetId.Parse(id, null).Value;
            Assert.DoesNotContain(guid.ToString("N"), key, StringComparison.OrdinalIgnoreCase);
            Assert.DoesNotContain(id[4..], key, StringComparison.OrdinalIgnoreCase);
            Assert.Matches("^assets/[0-9]{4}/[0-9a-f]{32}$", key);
            keys.Add(key);
        }
        Assert.NotEqual(keys[0], keys[1]);
    }

    [Fact]
    public async Task A_png_with_a_chunk_before_ihdr_is_refused_before_any_decoder_runs()
    {
        var (session, project) = await ProjectAsync();
        var before = StoredFiles();
        var response = await UploadAsync(session, project, HostileMedia.Png(16000, 16000, decoyFirst: true), "big.png", "image/png");
        await response.AssertProblemAsync(HttpStatusCode.BadRequest, "unsupported-media");
        Assert.Equal(before, StoredFiles());
    }

    [Fact]
    public async Task A_png_over_the_pixel_limit_is_refused_with_its_dimensions()
    {
        var (session, project) = await ProjectAsync();
        var response = await UploadAsync(session, project, HostileMedia.Png(16000, 16000, decoyFirst: false), "big.png", "image/png");
        var problem = await response.AssertProblemAsync(HttpStatusCode.BadRequest, "unsupported-media");
        Assert.Contains("16000×16000", problem["detail"]!.GetValue<string>(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_lossless_webp_claiming_12000_by_12000_is_refused_with_its_dimensions()
    {
        var (session, project) = await ProjectAsync();
        var bomb = HostileMedia.WebPLossless(12000);
        Assert.Equal(38, bomb.Length);
        var problem = await (await UploadAsync(session, project, bomb, "x.webp", "image/webp")).AssertProblemAsync(HttpStatusCode.BadRequest, "unsupported-media");
        Assert.Contains("12000×12000", problem["detail"]!.GetValue<string>(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_png_with_a_valid_header_and_garbage_after_it_is_refused()
    {
        var (session, project) = await ProjectAsync();
        var before = StoredFiles();
        var response = await UploadAsync(session, project, HostileMedia.PngWithGarbage(), "x.png", "image/png");
        await response.AssertProblemAsync(HttpStatusCode.BadRequest, "unsupported-media");
        Assert.Equal(before, StoredFiles());
    }

    [Fact]
    public async Task A_truncated_fast_start_mp4_is_refused_and_the_whole_file_is_accepted()
    {
        var (session, project) = await ProjectAsync();
        var problem = await (await UploadAsync(session, project, HostileMedia.TruncatedFastStartMp4(), "cut.mp4", "video/mp4"))
            .AssertProblemAsync(HttpStatusCode.BadRequest, "unsupported-media");
        Assert.Contains("truncated", problem["detail"]!.GetValue<string>(), StringComparison.Ordinal);

        var whole = await UploadAsync(session, project, TestMedia.FastStartMp4, "whole.mp4", "video/mp4");
        Assert.True(whole.StatusCode == HttpStatusCode.Created, await whole.Content.ReadAsStringAsync());
        Assert.InRange((await whole.ReadJsonAsync())["duration_seconds"]!.GetValue<double>(), 3.9, 4.1);
    }
}
