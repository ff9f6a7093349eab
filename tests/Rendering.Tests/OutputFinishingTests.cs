using System.Globalization;
using System.Text.RegularExpressions;
using RenderOwl.Application.Common.Media;
using RenderOwl.Application.Rendering;
using RenderOwl.Domain.Common;
using RenderOwl.Domain.Rendering;

namespace RenderOwl.Rendering.Tests;

/// <summary>What follows the render's pass: the loudness target, the poster and the contact sheet, measured from the files.</summary>
public sealed partial class OutputFinishingTests(EngineFixture f) : IClassFixture<EngineFixture>
{
    private static readonly AssetId Tone = new(Guid.CreateVersion7());

    private Dictionary<AssetId, MediaFile> Files => new() { [Tone] = new(f.ToneWav, "audio/wav") };

    /// <summary>A colour per second (red, green, blue, white) and a tone throughout.</summary>
    private static Composition Seconds(double volume = 1) => new(4, "#000000",
    [
        new Layer { Type = LayerType.Color, Color = "#ff0000", Start = 0, Duration = 1 },
        new Layer { Type = LayerType.Color, Color = "#00ff00", Start = 1, Duration = 1 },
        new Layer { Type = LayerType.Color, Color = "#0000ff", Start = 2, Duration = 1 },
        new Layer { Type = LayerType.Color, Color = "#ffffff", Start = 3, Duration = 1 },
        new Layer { Type = LayerType.Audio, AssetId = Tone, Start = 0, Loop = true, Volume = volume },
    ]);

    [GeneratedRegex(@"I:\s+(-?[0-9.]+) LUFS")]
    private static partial Regex Integrated();

    /// <summary>The integrated loudness of a file as ffmpeg's ebur128 measures it, independently of the engine.</summary>
    private static double Lufs(string file)
    {
        var start = new System.Diagnostics.ProcessStartInfo("ffmpeg") { RedirectStandardError = true, RedirectStandardOutput = true };
        foreach (var a in new[] { "-hide_banner", "-nostats", "-i", file, "-map", "0:a", "-af", "ebur128", "-f", "null", "-" })
        {
            start.ArgumentList.Add(a);
        }
        using var p = System.Diagnostics.Process.Start(start)!;
        var err = p.StandardError.ReadToEnd();
        p.WaitForExit();
        var all = Integrated().Matches(err);
        Assert.True(all.Count > 0, err);
        return double.Parse(all[^1].Groups[1].Value, CultureInfo.InvariantCulture);
    }

    [Theory]
    [InlineData(OutputFormat.Mp4, -14, 0.3)]
    [InlineData(OutputFormat.Mp3, -30, 1.0)]
    public async Task Loudness_target_normalises_the_mix_to_within_1_LU(OutputFormat format, double target, double volume)
    {
        var plain = await f.Engine.RenderAsync(new RenderJob(Seconds(volume), new OutputSettings(format, 160, 120, 25, Quality.Standard), Files, false), null, CancellationToken.None);
        var settings = new OutputSettings(format, 160, 120, 25, Quality.Standard) { Loudness = new LoudnessSettings(target) };
        var normalised = await f.Engine.RenderAsync(new RenderJob(Seconds(volume), settings, Files, false), null, CancellationToken.None);
        var before = Lufs(f.Storage.LocalPath(plain.StorageKey));
        var after = Lufs(f.Storage.LocalPath(normalised.StorageKey));
        Assert.True(Math.Abs(before - target) > 3, $"the mix was already at {before} LUFS: the test shows nothing");
        Assert.InRange(after, target - 1, target + 1);
        Assert.InRange(normalised.Qc!.IntegratedLufs!.Value, target - 1, target + 1);   // the report is of the normalised file
        Assert.True(normalised.Qc.TruePeakDb <= -0.5, $"true peak {normalised.Qc.TruePeakDb}");
        Assert.InRange(normalised.Probe.DurationSeconds!.Value, 3.9, 4.1);
        if (format == OutputFormat.Mp4)
        {
            Colour.Near(f.Pixel(f.Storage.LocalPath(normalised.StorageKey), 2.5, 80, 60, 160, 120), (0, 0, 255)); // the picture copied untouched
        }
    }

    [Fact]
    public async Task Every_video_gets_a_poster_at_the_asked_second_equal_to_that_frame()
    {
        var settings = new OutputSettings(OutputFormat.Mp4, 160, 120, 25, Quality.Standard) { Poster = new PosterSettings(2.5) };
        var output = await f.Engine.RenderAsync(new RenderJob(Seconds(), settings, Files, false), null, CancellationToken.None);
        Assert.NotNull(output.PosterKey);
        var poster = f.Storage.LocalPath(output.PosterKey!);
        Assert.Equal(0xFF, File.ReadAllBytes(poster)[0]); // JPEG: FF D8
        Assert.Equal(0xD8, File.ReadAllBytes(poster)[1]);
        var posterFrame = EngineFixture.Image(poster, 160, 120);
        var videoFrame = EngineFixture.FrameAt(f.Storage.LocalPath(output.StorageKey), 2.5, 160, 120);
        Colour.Near(posterFrame[80, 60], (0, 0, 255));
        Colour.Near(posterFrame[80, 60], videoFrame[80, 60], 20);
        Colour.Near(posterFrame[5, 110], videoFrame[5, 110], 20);

        // No poster asked for: 1 s in (green).
        var plain = await f.Engine.RenderAsync(new RenderJob(Seconds(), new OutputSettings(OutputFormat.Webm, 160, 120, 25, Quality.Standard), Files, false), null, CancellationToken.None);
        Colour.Near(EngineFixture.Image(f.Storage.LocalPath(plain.PosterKey!), 160, 120)[80, 60], (0, 255, 0));
        Assert.Null(plain.ThumbnailsKey);
    }

    [Fact]
    public async Task A_contact_sheet_tiles_frames_evenly_spaced_over_the_output()
    {
        var settings = new OutputSettings(OutputFormat.Mp4, 160, 120, 25, Quality.Standard) { Thumbnails = new ThumbnailSettings(4) };
        var output = await f.Engine.RenderAsync(new RenderJob(Seconds(), settings, Files, false), null, CancellationToken.None);
        var sheet = f.Storage.LocalPath(output.ThumbnailsKey!);
        Assert.Equal("332,252", System.Text.Encoding.UTF8.GetString(EngineFixture.RunBytes("ffprobe", ["-v", "error", "-show_entries", "stream=width,height", "-of", "csv=p=0", sheet])).Trim());
        // 4 frames in a 2×2 grid of 160×120 tiles with 4-pixel margins and gaps: 4+160+4+160+4 = 332 by 4+120+4+120+4 = 252.
        var frame = EngineFixture.Image(sheet, 332, 252);
        Colour.Near(frame[4 + 80, 4 + 60], (255, 0, 0));                 // 0.5 s: red
        Colour.Near(frame[4 + 160 + 4 + 80, 4 + 60], (0, 255, 0));       // 1.5 s: green
        Colour.Near(frame[4 + 80, 4 + 120 + 4 + 60], (0, 0, 255));       // 2.5 s: blue
        Colour.Near(frame[4 + 160 + 4 + 80, 4 + 120 + 4 + 60], (255, 255, 255)); // 3.5 s: white
        Colour.Near(frame[1, 1], (0, 0, 0), 20);                          // the margin
    }

    [Fact]
    public async Task Stills_and_mp3_have_no_poster()
    {
        var still = await f.Engine.RenderAsync(new RenderJob(Seconds(), new OutputSettings(OutputFormat.Png, 160, 120, 25, Quality.Standard), Files, false), null, CancellationToken.None);
        var sound = await f.Engine.RenderAsync(new RenderJob(Seconds(), new OutputSettings(OutputFormat.Mp3, 0, 0, 0, Quality.Standard), Files, false), null, CancellationToken.None);
        Assert.Null(still.PosterKey);
        Assert.Null(sound.PosterKey);
    }
}
