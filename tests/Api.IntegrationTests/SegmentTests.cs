using System.Diagnostics;
using System.Globalization;
using Npgsql;
using RenderOwl.Api.IntegrationTests.Infrastructure;

namespace RenderOwl.Api.IntegrationTests;

/// <summary>
/// Segment-parallel rendering: a long render split into segments claimed by several worker processes, joined without
/// re-encoding, equals the unsplit render in duration, frame count and the frames at every join.
/// </summary>
public sealed class SegmentTests(ApiFixture fixture) : ApiTest(fixture)
{
    private static readonly (string, string?)[] Split = [("Rendering:Segments:MinSeconds", "30"), ("Rendering:Segments:Seconds", "30"), ("Rendering:Dispatcher:Slots", "1")];

    private static string Make(string name, params string[] args)
    {
        var path = Path.Combine(Path.GetTempPath(), $"renderowl-{Guid.NewGuid():N}-{name}");
        Run("ffmpeg", ["-hide_banner", "-loglevel", "error", "-y", .. args, path]);
        return path;
    }

    private static byte[] Run(string file, string[] args)
    {
        var start = new ProcessStartInfo(file) { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var a in args)
        {
            start.ArgumentList.Add(a);
        }
        using var p = Process.Start(start)!;
        using var output = new MemoryStream();
        var copy = p.StandardOutput.BaseStream.CopyToAsync(output);
        var err = p.StandardError.ReadToEndAsync();
        p.WaitForExit();
        copy.Wait();
        Assert.True(p.ExitCode == 0, $"{file} failed: {err.Result}");
        return output.ToArray();
    }

    /// <summary>Frame <paramref name="n"/> (counted from 0) of a 160×120 video as RGB.</summary>
    private static byte[] Frame(string file, int n)
        => Run("ffmpeg", ["-hide_banner", "-loglevel", "error", "-i", file, "-vf", $"select=eq(n\\,{n})", "-frames:v", "1", "-f", "rawvideo", "-pix_fmt", "rgb24", "pipe:1"]);

    private static double Difference(byte[] a, byte[] b) => a.Zip(b).Average(p => Math.Abs(p.First - p.Second));

    private static string Probe(string file, params string[] args)
        => System.Text.Encoding.UTF8.GetString(Run("ffprobe", ["-v", "error", .. args, "-of", "default=nw=1:nk=1", file])).Trim();

    private async Task<string> UploadAsync(Session session, string project, string file, string type)
        => (await (await session.Client.PostAsync($"/v1/projects/{project}/assets", TestMedia.Multipart(await File.ReadAllBytesAsync(file), Path.GetFileName(file), type)))
            .ReadJsonAsync())["id"]!.GetValue<string>();

    private static object Body(string clip, string tone) => new
    {
        composition = new
        {
            duration = 90, background = "#000000",
            layers = new object[]
            {
                new { type = "video", asset_id = clip, start = 0, fit = "fill", size = new { width = "100%", height = "100%" } },
                new { type = "text", text = "joined", start = 20, duration = 50, style = new { font_size = 14 } }, // across two joins
                new { type = "audio", asset_id = tone, start = 0, loop = true, volume = 0.5 },
            },
        },
        output_settings = new { format = "mp4", width = 160, height = 120, fps = 10 },
        cache = false,
    };

    [Fact]
    public async Task A_90_s_render_split_across_two_worker_processes_equals_the_unsplit_render()
    {
        var clipFile = Make("clip.mp4", "-f", "lavfi", "-i", "testsrc2=s=160x120:r=10:d=90", "-c:v", "libx264", "-preset", "ultrafast", "-pix_fmt", "yuv420p");
        var toneFile = Make("tone.wav", "-f", "lavfi", "-i", "sine=frequency=440:duration=3");
        var (keyed, project) = await this.AccountWithProjectAsync(Anonymous, tier: "creator");
        var clip = await UploadAsync(keyed, project, clipFile, "video/mp4");
        var tone = await UploadAsync(keyed, project, toneFile, "audio/wav");
        var folder = Directory.CreateTempSubdirectory("renderowl-segments-").FullName;
        try
        {
            // The reference: one worker that does not split.
            string whole;
            await using (var worker = Fixture.CreateFactory(Renders.WorkerWith(("Rendering:Segments:MinSeconds", "0"))))
            {
                _ = worker.Services;
                var id = (await keyed.Client.SubmitAsync(project, Body(clip, tone)))["id"]!.GetValue<string>();
                Assert.Equal("succeeded", (await keyed.Client.WaitForAsync(id, r => r.Status() is "succeeded" or "failed", TimeSpan.FromSeconds(120))).Status());
                whole = Path.Combine(folder, "whole.mp4");
                await File.WriteAllBytesAsync(whole, await keyed.Client.GetByteArrayAsync($"/v1/renders/{id}/output"));
            }

            // The same render on two worker processes that split it into three 30 s segments.
            using var first = ApiProcess.Start(Fixture.Settings(Renders.WorkerWith(Split)), role: "worker");
            using var second = ApiProcess.Start(Fixture.Settings(Renders.WorkerWith(Split)), role: "worker");
            var render = (await keyed.Client.SubmitAsync(project, Body(clip, tone)))["id"]!.GetValue<string>();
            var owners = new HashSet<string>();
            var progress = new List<int>();
            var done = await Eventually.UntilAsync(async () =>
            {
                owners.UnionWith(await SegmentOwnersAsync(render));
                var now = await (await keyed.Client.GetAsync($"/v1/renders/{render}")).ReadJsonAsync();
                progress.Add(now["progress"]!.GetValue<int>());
                return now;
            }, r => r.Status() is "succeeded" or "failed", TimeSpan.FromSeconds(180), "the split render finished");
            Assert.True(done.Status() == "succeeded", done["error"]?.ToJsonString());
            Assert.True(owners.Count >= 2, $"segments were rendered by {owners.Count} worker(s): {string.Join(", ", owners)}");
            Assert.Equal(3L, await ScalarAsync<long>($"SELECT count(*) FROM rendering.renders WHERE parent_id = '{Id(render)}' AND status = 'Succeeded'"));
            Assert.True(progress.Zip(progress.Skip(1)).All(p => p.Second >= p.First), "progress went backwards");
            var history = (await (await keyed.Client.GetAsync($"/v1/renders/{render}/events")).ReadJsonAsync()).AsArray().Select(e => e!["message"]?.GetValue<string>()).ToList();
            Assert.Contains("split into 3 segments", history);
            var listed = (await (await keyed.Client.GetAsync($"/v1/projects/{project}/renders")).ReadJsonAsync())["items"]!.AsArray();
            Assert.Equal(2, listed.Count); // the segments are not shown

            var split = Path.Combine(folder, "split.mp4");
            await File.WriteAllBytesAsync(split, await keyed.Client.GetByteArrayAsync($"/v1/renders/{render}/output"));
            Assert.Equal(Probe(whole, "-count_frames", "-select_streams", "v", "-show_entries", "stream=nb_read_frames"),
                Probe(split, "-count_frames", "-select_streams", "v", "-show_entries", "stream=nb_read_frames"));
            Assert.Equal("900", Probe(split, "-count_frames", "-select_streams", "v", "-show_entries", "stream=nb_read_frames"));
            var (wholeLength, splitLength) = (double.Parse(Probe(whole, "-show_entries", "format=duration"), CultureInfo.InvariantCulture),
                double.Parse(Probe(split, "-show_entries", "format=duration"), CultureInfo.InvariantCulture));
            Assert.InRange(splitLength, wholeLength - 0.1, wholeLength + 0.1);
            Assert.Equal("aac", Probe(split, "-select_streams", "a", "-show_entries", "stream=codec_name"));
            Assert.InRange(double.Parse(Probe(split, "-select_streams", "a", "-show_entries", "stream=duration"), CultureInfo.InvariantCulture), 89.9, 90.1);
            // At each join, frame k of the split output is frame k of the whole one — nearer to it than to its neighbours:
            // a repeated or missing frame would match k±1 instead.
            foreach (var join in new[] { 300, 600 })
            {
                foreach (var k in new[] { join - 1, join, join + 1 })
                {
                    var (mine, same, before, after) = (Frame(split, k), Frame(whole, k), Frame(whole, k - 1), Frame(whole, k + 1));
                    var d = Difference(mine, same);
                    Assert.True(d < 6, $"frame {k}: differs from the unsplit frame by {d:0.0}");
                    Assert.True(d < Difference(mine, before) && d < Difference(mine, after), $"frame {k} matches a neighbour better than itself");
                }
            }
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
            File.Delete(clipFile);
            File.Delete(toneFile);
        }
    }

    [Fact]
    public async Task Canceling_a_split_render_stops_every_segment()
    {
        var (session, project) = await this.AccountWithProjectAsync(Anonymous, tier: "creator");
        using var worker = ApiProcess.Start(Fixture.Settings(Renders.WorkerWith([.. Split, ("Rendering:Segments:Seconds", "20")])), role: "worker");
        var render = (await session.Client.SubmitAsync(project, new
        {
            composition = new { duration = 100, background = "#202020", layers = new object[] { new { type = "text", text = "long", start = 0, transition = new { @in = new { type = "fade" } } } } },
            output_settings = new { format = "mp4", width = 640, height = 360, fps = 30 },
            cache = false,
        }))["id"]!.GetValue<string>();
        await Eventually.UntilAsync(() => ScalarAsync<long>($"SELECT count(*) FROM rendering.renders WHERE parent_id = '{Id(render)}' AND status = 'Succeeded'"),
            n => n > 0, TimeSpan.FromSeconds(90), "a segment done");
        var firstFile = Path.Combine(Fixture.StoragePath, await ScalarAsync<string>(
            $"SELECT output->>'StorageKey' FROM rendering.renders WHERE parent_id = '{Id(render)}' AND status = 'Succeeded' LIMIT 1"));
        Assert.True(File.Exists(firstFile));
        var canceled = await (await session.Client.PostAsync($"/v1/renders/{render}/cancel", null)).ReadJsonAsync();
        Assert.Equal("canceled", canceled.Status());
        await Eventually.UntilAsync(() => ScalarAsync<long>($"SELECT count(*) FROM rendering.renders WHERE parent_id = '{Id(render)}' AND status IN ('Queued', 'Rendering')"),
            n => n == 0, TimeSpan.FromSeconds(30), "every segment stopped");
        Assert.True(await ScalarAsync<long>($"SELECT count(*) FROM rendering.renders WHERE parent_id = '{Id(render)}' AND status = 'Canceled'") > 0);
        // Nothing of it is left in storage: segments that had finished lose their files, the others never stored any.
        await Eventually.UntilAsync(() => ScalarAsync<long>(
                $"SELECT count(*) FROM rendering.renders WHERE parent_id = '{Id(render)}' AND output IS NOT NULL AND output_expired_at IS NULL"),
            n => n == 0, TimeSpan.FromSeconds(30), "no segment file kept");
        await Eventually.UntilAsync(() => Task.FromResult(File.Exists(firstFile)), exists => !exists, TimeSpan.FromSeconds(10), "the finished segment's file deleted");
        Assert.Equal("canceled", (await (await session.Client.GetAsync($"/v1/renders/{render}")).ReadJsonAsync()).Status());
    }

    private static Guid Id(string renderId) => RenderOwl.Domain.Common.RenderId.Parse(renderId, null).Value;

    private async Task<List<string>> SegmentOwnersAsync(string renderId)
    {
        await using var connection = new NpgsqlConnection(Fixture.ConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand($"SELECT lease_owner FROM rendering.renders WHERE parent_id = '{Id(renderId)}' AND lease_owner IS NOT NULL", connection);
        await using var reader = await command.ExecuteReaderAsync();
        var owners = new List<string>();
        while (await reader.ReadAsync())
        {
            owners.Add(reader.GetString(0));
        }
        return owners;
    }

    private async Task<T> ScalarAsync<T>(string sql)
    {
        await using var connection = new NpgsqlConnection(Fixture.ConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        return (T)(await command.ExecuteScalarAsync())!;
    }
}
