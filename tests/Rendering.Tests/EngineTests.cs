using System.Diagnostics;
using RenderOwl.Application.Common.Media;
using RenderOwl.Application.Rendering;
using RenderOwl.Domain.Common;
using RenderOwl.Domain.Rendering;

namespace RenderOwl.Rendering.Tests;

public sealed class EngineTests(EngineFixture f) : IClassFixture<EngineFixture>
{
    private static readonly AssetId Image = new(Guid.CreateVersion7());
    private static readonly AssetId Tone = new(Guid.CreateVersion7());
    private static readonly AssetId Clip = new(Guid.CreateVersion7());
    private static readonly AssetId Silent = new(Guid.CreateVersion7());

    private Dictionary<AssetId, MediaFile> Files => new()
    {
        [Image] = new(f.RedPng, "image/png"), [Tone] = new(f.ToneWav, "audio/wav"), [Clip] = new(f.ClipMp4, "video/mp4"), [Silent] = new(f.SilentMp4, "video/mp4"),
    };

    private static Composition Golden() => new(4, "#101820",
    [
        new Layer { Type = LayerType.Color, Color = "#1e90ff", Start = 0, Duration = 2 },
        new Layer { Type = LayerType.Text, Text = "Hello, Ada", Start = 0.5, Duration = 3, Style = new TextStyle(72, "#ffffff", null), Animation = Animation.FadeIn },
        new Layer { Type = LayerType.Image, AssetId = Image, Start = 1, Duration = 3, Position = new Position(Coordinate.At(40), Coordinate.At(40)), Size = new Size(320, 180) },
        new Layer { Type = LayerType.Audio, AssetId = Tone, Start = 0, Volume = 0.8 },
        new Layer { Type = LayerType.Audio, AssetId = Clip, Start = 1, TrimStart = 0.5, Volume = 0.5 }, // a second track, mixed
    ]);

    [Fact]
    public async Task A_golden_mp4_has_the_right_pixels_where_and_when_expected()
    {
        var progress = new List<double>();
        var output = await f.Engine.RenderAsync(new RenderJob(Golden(), new OutputSettings(OutputFormat.Mp4, 640, 360, 30, Quality.Standard), Files, false),
            new SyncProgress(progress.Add), CancellationToken.None);

        Assert.Equal("h264", output.Probe.VideoCodec);
        Assert.Equal("aac", output.Probe.AudioCodec);
        Assert.Equal((640, 360), (output.Probe.Width!.Value, output.Probe.Height!.Value));
        Assert.InRange(output.Probe.Fps!.Value, 29.9, 30.1);
        Assert.InRange(output.Probe.DurationSeconds!.Value, 4 - (1 / 30.0), 4 + (1 / 30.0));
        Assert.Equal(64, output.Sha256.Length);
        Assert.True(output.SizeBytes > 1000);

        var file = f.Storage.LocalPath(output.StorageKey);
        Colour.Near(f.Pixel(file, 0.5, 600, 340, 640, 360), (0x1e, 0x90, 0xff));   // the colour layer while it lasts
        // The 64×64 image in its 320×180 box at (40, 40): contained (180×180, centred: x 110–290), never stretched.
        Colour.Near(f.Pixel(file, 1.5, 200, 100, 640, 360), (255, 0, 0));          // the image inside its box
        Colour.Near(f.Pixel(file, 1.5, 60, 100, 640, 360), (0x1e, 0x90, 0xff));    // the box's bars are transparent: the colour layer shows
        Colour.Near(f.Pixel(file, 3.0, 600, 340, 640, 360), (0x10, 0x18, 0x20));   // the background after the colour layer ended
        Colour.Near(f.Pixel(file, 3.0, 10, 10, 640, 360), (0x10, 0x18, 0x20));     // outside the image box
        Colour.Near(f.Pixel(file, 3.0, 200, 100, 640, 360), (255, 0, 0));          // the image still
        Assert.NotEmpty(progress);
        Assert.Equal(100, progress[^1]);
        Assert.True(progress.Zip(progress.Skip(1)).All(p => p.Second >= p.First), "progress went backwards");
    }

    [Theory]
    [InlineData(OutputFormat.Mp4, "h264", "aac")]
    [InlineData(OutputFormat.Webm, "vp9", "opus")]
    [InlineData(OutputFormat.Gif, "gif", null)]
    public async Task Each_format_opens_with_its_codec(OutputFormat format, string video, string? audio)
    {
        var composition = new Composition(1.5, "#202020",
        [
            new Layer { Type = LayerType.Video, AssetId = Clip, Start = 0, TrimStart = 1, Duration = 1.5, Size = new Size(160, 120), Position = new Position(Coordinate.Named("center"), Coordinate.Named("center")) },
            new Layer { Type = LayerType.Audio, AssetId = Tone, Start = 0.2 },
        ]);
        var output = await f.Engine.RenderAsync(new RenderJob(composition, new OutputSettings(format, 320, 240, format == OutputFormat.Gif ? 10 : 24, Quality.Standard), Files, false),
            null, CancellationToken.None);
        Assert.Equal(video, output.Probe.VideoCodec);
        Assert.Equal(audio, output.Probe.AudioCodec);
        var file = f.Storage.LocalPath(output.StorageKey);
        Assert.EndsWith("." + format.ToString().ToLowerInvariant(), file, StringComparison.Ordinal);
        Colour.Near(f.Pixel(file, 0.7, 160, 120, 320, 240), (0, 255, 0), 60); // the video (lime) in its centred box
        Colour.Near(f.Pixel(file, 0.7, 5, 5, 320, 240), (0x20, 0x20, 0x20), 30);
    }

    [Fact]
    public async Task A_video_layer_brings_its_own_sound_from_its_start_and_a_silent_one_or_volume_0_brings_none()
    {
        var settings = new OutputSettings(OutputFormat.Mp4, 320, 240, 24, Quality.Standard);
        // The clip (with a 300 Hz tone) from 1 s on, trimmed by 1 s; nothing else makes a sound.
        var withSound = await f.Engine.RenderAsync(new RenderJob(new Composition(3, "#000000",
            [new Layer { Type = LayerType.Video, AssetId = Clip, Start = 1, TrimStart = 1, Duration = 2 }]), settings, Files, false), null, CancellationToken.None);
        Assert.Equal("aac", withSound.Probe.AudioCodec);
        Assert.InRange(withSound.Probe.DurationSeconds!.Value, 2.9, 3.1);
        var file = f.Storage.LocalPath(withSound.StorageKey);
        Assert.True(EngineFixture.MeanVolumeDb(file, 0.1, 0.7) < -80, "sound before the layer starts");
        Assert.True(EngineFixture.MeanVolumeDb(file, 1.3, 1.2) > -30, "the clip's sound is missing");

        // A video without an audio stream, and a clip at volume 0: no audio track at all (and no failure).
        foreach (var layer in new[]
                 {
                     new Layer { Type = LayerType.Video, AssetId = Silent, Start = 0, Duration = 2 },
                     new Layer { Type = LayerType.Video, AssetId = Clip, Start = 0, Duration = 2, Volume = 0 },
                 })
        {
            var silent = await f.Engine.RenderAsync(new RenderJob(new Composition(2, "#000000", [layer]), settings, Files, false), null, CancellationToken.None);
            Assert.Null(silent.Probe.AudioCodec);
        }
    }

    [Fact]
    public async Task Hostile_text_renders_literally_and_injects_nothing()
    {
        var hostile = string.Join("\n",
            "it's: a \\ test; %{pts} %{localtime} %{eif\\:n\\:d}",
            "x'[out];[0:v]drawbox=c=red:t=fill[v9];[v9]",
            "':fontcolor=red:fontsize=2000:x=0:y=0",
            new string('W', 10_000));
        var composition = new Composition(1, "#000080", [new Layer { Type = LayerType.Text, Text = hostile, Start = 0, Style = new TextStyle(24, "#ffffff", null) }]);
        var output = await f.Engine.RenderAsync(new RenderJob(composition, new OutputSettings(OutputFormat.Mp4, 320, 240, 10, Quality.Standard), Files, false), null, CancellationToken.None);
        var file = f.Storage.LocalPath(output.StorageKey);
        // Had any of it become a filter or an option, the frame would be red; the corner stays the background.
        Colour.Near(f.Pixel(file, 0.5, 2, 238, 320, 240), (0, 0, 0x80));
        Colour.Near(f.Pixel(file, 0.5, 318, 2, 320, 240), (0, 0, 0x80));
    }

    [Fact]
    public async Task A_sandbox_render_carries_the_watermark()
    {
        var composition = new Composition(1, "#808080", []);
        var settings = new OutputSettings(OutputFormat.Mp4, 640, 360, 10, Quality.Standard);
        var plain = f.Storage.LocalPath((await f.Engine.RenderAsync(new RenderJob(composition, settings, Files, false), null, CancellationToken.None)).StorageKey);
        var marked = f.Storage.LocalPath((await f.Engine.RenderAsync(new RenderJob(composition, settings, Files, true), null, CancellationToken.None)).StorageKey);
        // The watermark box sits centred near the bottom; left of the text, inside its dark box.
        var y = 360 - (360 / 12) - 12;
        Colour.Near(f.Pixel(plain, 0.5, 320, y, 640, 360), (0x80, 0x80, 0x80), 12);
        var p = f.Pixel(marked, 0.5, 320, y, 640, 360);
        Assert.True(Math.Abs(p.R - 0x80) > 20, $"no watermark at the bottom centre: {p}");
    }

    [Fact]
    public async Task Cancellation_stops_ffmpeg_and_leaves_nothing()
    {
        var composition = new Composition(600, "#000000", [new Layer { Type = LayerType.Text, Text = "long", Start = 0, Animation = Animation.FadeInOut }]);
        var keysBefore = f.Storage.Keys().ToHashSet();
        using var cts = new CancellationTokenSource();
        var started = new TaskCompletionSource();
        var render = f.Engine.RenderAsync(new RenderJob(composition, new OutputSettings(OutputFormat.Webm, 1280, 720, 30, Quality.High), Files, false),
            new SyncProgress(p => { if (p > 0) { started.TrySetResult(); } }), cts.Token);
        await Task.WhenAny(started.Task, Task.Delay(TimeSpan.FromSeconds(30)));
        Assert.True(started.Task.IsCompleted, "the render never reported progress");
        var ffmpegBefore = FfmpegProcesses("d=600"); // this render's ffmpeg, not another test's running beside it
        Assert.NotEmpty(ffmpegBefore);
        await cts.CancelAsync();
        // A 600 s render returning at all means it was stopped; how fast is measured by `bench cancel` (docs/benchmarks.md).
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => render.WaitAsync(TimeSpan.FromSeconds(30)));
        Assert.Equal(keysBefore, f.Storage.Keys().ToHashSet());
        Assert.Empty(Directory.EnumerateFileSystemEntries(Path.Combine(f.Storage.Root, ".scratch")));
        Assert.All(ffmpegBefore, pid => Assert.True(HasExited(pid), $"ffmpeg {pid} still runs"));
    }

    [Fact]
    public async Task A_composition_ffmpeg_rejects_fails_with_a_code_and_is_not_retryable()
    {
        var notAnImage = Path.Combine(f.Folder, "not-an-image.png");
        await File.WriteAllTextAsync(notAnImage, "just text, not pixels");
        var broken = new Dictionary<AssetId, MediaFile> { [Image] = new(notAnImage, "image/png") };
        var composition = new Composition(1, "#000000", [new Layer { Type = LayerType.Image, AssetId = Image, Start = 0 }]);
        var ex = await Assert.ThrowsAsync<RenderFailedException>(() =>
            f.Engine.RenderAsync(new RenderJob(composition, new OutputSettings(OutputFormat.Mp4, 320, 240, 10, Quality.Standard), broken, false), null, CancellationToken.None));
        Assert.Equal("composition_rejected", ex.Code);
        Assert.False(ex.Retryable);
        Assert.False(string.IsNullOrEmpty(ex.Diagnostics));
        Assert.DoesNotContain("ffmpeg", ex.Message, StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public void An_output_that_does_not_match_the_settings_is_refused()
    {
        var settings = new OutputSettings(OutputFormat.Mp4, 1280, 720, 30, Quality.Standard);
        var good = new MediaProbe("mov,mp4,m4a,3gp,3g2,mj2", "h264", "aac", 1280, 720, 30, 5.0);
        Infrastructure.Rendering.FfmpegRenderEngine.Verify(good, settings, 5);
        foreach (var bad in new[] { good with { Width = 1278 }, good with { VideoCodec = "hevc" }, good with { Fps = 25 }, good with { DurationSeconds = 5.1 }, good with { FormatName = "matroska,webm" } })
        {
            var ex = Assert.Throws<RenderFailedException>(() => Infrastructure.Rendering.FfmpegRenderEngine.Verify(bad, settings, 5));
            Assert.Equal("output_invalid", ex.Code);
        }
    }

    /// <summary>The ffmpeg processes this test process started whose command line holds <paramref name="marker"/>.</summary>
    private static int[] FfmpegProcesses(string marker)
        => Process.GetProcessesByName("ffmpeg").Where(p => p.Parent() == Environment.ProcessId && CommandLine(p.Id).Contains(marker, StringComparison.Ordinal))
            .Select(p => p.Id).ToArray();

    private static string CommandLine(int pid)
    {
        try
        {
            return File.ReadAllText($"/proc/{pid}/cmdline").Replace('\0', ' ');
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            return "";
        }
    }

    private static bool HasExited(int pid)
    {
        try
        {
            using var p = Process.GetProcessById(pid);
            return p.HasExited;
        }
        catch (ArgumentException)
        {
            return true;
        }
    }

    private sealed class SyncProgress(Action<double> report) : IProgress<double>
    {
        public void Report(double value) => report(value);
    }
}

internal static class ProcessParent
{
    /// <summary>The parent pid from /proc (Linux), to look only at processes this test run started.</summary>
    public static int Parent(this Process process)
    {
        try
        {
            var stat = File.ReadAllText($"/proc/{process.Id}/stat");
            var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
            return int.Parse(fields[1], System.Globalization.CultureInfo.InvariantCulture);
        }
        catch (IOException)
        {
            return -1;
        }
    }
}
