using Microsoft.Extensions.Logging.Abstractions;
using RenderOwl.Application.Common.Media;
using RenderOwl.Application.Rendering;
using RenderOwl.Domain.Common;
using RenderOwl.Domain.Rendering;
using RenderOwl.Infrastructure.Media;
using RenderOwl.Infrastructure.Rendering;

namespace RenderOwl.Rendering.Tests;

/// <summary>A render reads its own inputs and nothing else (docs/security.md, "Disguised media").</summary>
public sealed class InputConfinementTests(EngineFixture f) : IClassFixture<EngineFixture>
{
    private static readonly AssetId Image = new(Guid.CreateVersion7());
    private static readonly AssetId Tone = new(Guid.CreateVersion7());
    private static readonly AssetId Clip = new(Guid.CreateVersion7());

    [Fact]
    public void Every_ffmpeg_input_is_a_generated_source_or_one_of_the_jobs_files_opened_with_its_forced_format()
    {
        var files = new Dictionary<AssetId, MediaFile>
        {
            [Image] = new(f.RedPng, "image/png"), [Tone] = new(f.ToneWav, "audio/wav"), [Clip] = new(f.ClipMp4, "video/mp4"),
        };
        var job = new RenderJob(new Composition(3, "#000000",
        [
            new Layer { Type = LayerType.Color, Color = "#ff0000", Start = 0, Duration = 1 },
            new Layer { Type = LayerType.Image, AssetId = Image, Start = 0 },
            new Layer { Type = LayerType.Video, AssetId = Clip, Start = 1, TrimStart = 0.5 },
            new Layer { Type = LayerType.Audio, AssetId = Tone, Start = 0 },
            new Layer { Type = LayerType.Audio, AssetId = Clip, Start = 2 }, // a video file used for its sound
            new Layer { Type = LayerType.Text, Text = "file:///etc/passwd", Start = 0 },
        ]), new OutputSettings(OutputFormat.Mp4, 320, 240, 10, Quality.Standard), files, false);
        var options = new RenderingOptions { MaxImagePixels = 1234567 };
        var command = FfmpegCommandBuilder.Build(job, "/tmp/out.mp4", "/tmp/text", options, new HashSet<AssetId> { Clip });
        var args = command.Arguments;

        var inputs = Enumerable.Range(0, args.Count).Where(i => args[i] == "-i").ToList();
        Assert.Equal(7, inputs.Count); // background, colour, image, video, tone, the clip again, the text drawn to an image
        var opened = new List<string>();
        foreach (var i in inputs)
        {
            var before = args.Take(i).Reverse().TakeWhile(a => a != "-i").Reverse().ToList(); // this input's own options
            var demuxer = Option(before, "-f");
            if (demuxer == "lavfi")
            {
                Assert.Matches("^color=c=0x[0-9a-f]{6}:s=[0-9]+x[0-9]+:r=[0-9]+:d=[0-9.]+$", args[i + 1]);
                continue;
            }
            Assert.Equal("file", Option(before, "-protocol_whitelist"));
            if (command.Files.ContainsKey(args[i + 1]))
            {
                Assert.Equal("png_pipe", demuxer); // drawn here, read as what it is
                continue;
            }
            var file = files.Values.Single(v => v.Path == args[i + 1]);
            opened.Add(file.Path);
            Assert.Equal(MediaFormats.Demuxer(file.ContentType), demuxer);
            Assert.Equal("file", Option(before, "-protocol_whitelist"));
            Assert.Equal("1234567", Option(before, "-max_pixels"));
            if (demuxer == "mov")
            {
                Assert.Equal("0", Option(before, "-enable_drefs"));
            }
        }
        Assert.Equal([f.RedPng, f.ClipMp4, f.ToneWav, f.ClipMp4], opened);
        // No other path reaches ffmpeg: every argument naming a file is an input above, the output, or an image the engine drew into the job's own folder.
        var allowed = files.Values.Select(v => v.Path).Append("/tmp/out.mp4").Concat(command.Files.Keys).ToHashSet();
        Assert.All(args.Where(a => a.StartsWith('/')), a => Assert.Contains(a, allowed));
        Assert.All(command.Files.Keys, k => Assert.StartsWith("/tmp/text/", k, StringComparison.Ordinal));
    }

    private static string? Option(List<string> args, string name)
    {
        var at = args.LastIndexOf(name);
        return at >= 0 && at + 1 < args.Count ? args[at + 1] : null;
    }

    [Fact]
    public void Every_accepted_content_type_has_a_forced_demuxer_and_nothing_else_is_guessed()
    {
        Assert.All(MediaFormats.ContentTypes, t => Assert.DoesNotContain(MediaFormats.Demuxer(t), new[] { "hls", "concat", "image2", "ffmetadata", "lavfi" }));
        Assert.Throws<ArgumentException>(() => MediaFormats.Demuxer("application/vnd.apple.mpegurl"));
    }

    [Fact]
    public async Task An_image_over_the_pixel_limit_that_reaches_the_engine_is_refused_by_the_decoder()
    {
        var big = f.Make("big.png", "-f", "lavfi", "-i", "color=c=red:s=1200x1000", "-frames:v", "1");
        var job = new RenderJob(new Composition(1, "#000000", [new Layer { Type = LayerType.Image, AssetId = Image, Start = 0 }]),
            new OutputSettings(OutputFormat.Mp4, 160, 120, 10, Quality.Standard), new Dictionary<AssetId, MediaFile> { [Image] = new(big, "image/png") }, false);

        var limited = Microsoft.Extensions.Options.Options.Create(new RenderingOptions { Threads = 2, MaxImagePixels = 1_000_000 });
        var engine = new FfmpegRenderEngine(f.Storage, f.Inspector, limited, NullLogger<FfmpegRenderEngine>.Instance);
        var ex = await Assert.ThrowsAsync<RenderFailedException>(() => engine.RenderAsync(job, null, CancellationToken.None));
        Assert.Equal("composition_rejected", ex.Code);
        Assert.Contains("max pixel", ex.Diagnostics, StringComparison.OrdinalIgnoreCase);

        // The same file under the default limit renders: the wall, not the file, stopped it.
        var output = await f.Engine.RenderAsync(job, null, CancellationToken.None);
        Colour.Near(f.Pixel(f.Storage.LocalPath(output.StorageKey), 0.5, 80, 60, 160, 120), (255, 0, 0));
    }

    [Fact]
    public async Task An_output_key_is_random_and_names_no_id()
    {
        var job = new RenderJob(new Composition(0.5, "#000000", []), new OutputSettings(OutputFormat.Mp4, 64, 64, 10, Quality.Standard), new Dictionary<AssetId, MediaFile>(), false);
        var a = await f.Engine.RenderAsync(job, null, CancellationToken.None);
        var b = await f.Engine.RenderAsync(job, null, CancellationToken.None);
        Assert.Matches("^renders/[0-9]{4}/[0-9a-f]{32}\\.mp4$", a.StorageKey);
        Assert.NotEqual(a.StorageKey, b.StorageKey);
    }
}
