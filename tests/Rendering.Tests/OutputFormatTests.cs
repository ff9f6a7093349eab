using System.Globalization;
using System.Text;
using RenderOwl.Application.Common.Media;
using RenderOwl.Application.Rendering;
using RenderOwl.Domain.Common;
using RenderOwl.Domain.Rendering;

namespace RenderOwl.Rendering.Tests;

/// <summary>The output formats beyond mp4/webm/gif, fractional frame rates and drafts, each probed and measured from the file.</summary>
public sealed class OutputFormatTests(EngineFixture f) : IClassFixture<EngineFixture>
{
    private static readonly AssetId Tone = new(Guid.CreateVersion7());

    private Dictionary<AssetId, MediaFile> Files => new() { [Tone] = new(f.ToneWav, "audio/wav") };

    /// <summary>A 40×40 red square in the middle of 160×120 from 0 to 1 s, a green one after; a tone throughout.</summary>
    private static Composition Squares(string background, double seconds = 2) => new(seconds, background,
    [
        new Layer { Type = LayerType.Color, Color = "#ff0000", Start = 0, Duration = 1, Size = new Size(40, 40), Position = new Position(Coordinate.PercentOf(50), Coordinate.PercentOf(50)), Anchor = "center" },
        new Layer { Type = LayerType.Color, Color = "#00ff00", Start = 1, Duration = 1, Size = new Size(40, 40), Position = new Position(Coordinate.PercentOf(50), Coordinate.PercentOf(50)), Anchor = "center" },
        new Layer { Type = LayerType.Audio, AssetId = Tone, Start = 0 },
    ]);

    private static string Probe(string file, string entries, params string[] options)
        => Encoding.UTF8.GetString(EngineFixture.RunBytes("ffprobe", ["-v", "error", .. options, "-show_entries", entries, "-of", "default=nw=1:nk=1", file])).Trim();

    /// <summary>The RGBA bytes of pixel (x, y) of the frame at <paramref name="seconds"/>.</summary>
    private static byte[] Rgba(string file, double seconds, int x, int y, int width)
    {
        var raw = EngineFixture.RunBytes("ffmpeg", ["-hide_banner", "-loglevel", "error", "-ss", seconds.ToString(CultureInfo.InvariantCulture), "-i", file,
            "-frames:v", "1", "-f", "rawvideo", "-pix_fmt", "rgba", "pipe:1"]);
        var i = ((y * width) + x) * 4;
        return raw[i..(i + 4)];
    }

    [Fact]
    public async Task Mov_alpha_is_prores_4444_with_alpha_transparent_where_the_background_is()
    {
        var output = await f.Engine.RenderAsync(new RenderJob(Squares("transparent"), new OutputSettings(OutputFormat.MovAlpha, 160, 120, 25, Quality.Standard), Files, false),
            null, CancellationToken.None);
        var file = f.Storage.LocalPath(output.StorageKey);
        Assert.EndsWith(".mov", file, StringComparison.Ordinal);
        Assert.Equal("prores", output.Probe.VideoCodec);
        Assert.Equal("pcm_s16le", output.Probe.AudioCodec);
        Assert.Equal("4444", Probe(file, "stream=profile").Split('\n')[0]);
        Assert.StartsWith("yuva444p", Probe(file, "stream=pix_fmt").Split('\n')[0], StringComparison.Ordinal);
        Assert.Equal(0, Rgba(file, 0.5, 5, 5, 160)[3]);                         // the corner: nothing there, fully transparent
        var square = Rgba(file, 0.5, 80, 60, 160);
        Assert.Equal(255, square[3]);                                            // the square: opaque red
        Assert.True(square[0] > 200 && square[1] < 50, $"not red: {string.Join(',', square)}");
    }

    [Fact]
    public async Task Mp3_is_the_mix_alone_with_no_picture()
    {
        var output = await f.Engine.RenderAsync(new RenderJob(Squares("#000000"), new OutputSettings(OutputFormat.Mp3, 0, 0, 0, Quality.Standard), Files, false),
            null, CancellationToken.None);
        var file = f.Storage.LocalPath(output.StorageKey);
        Assert.EndsWith(".mp3", file, StringComparison.Ordinal);
        Assert.Null(output.Probe.VideoCodec);
        Assert.Equal("mp3", output.Probe.AudioCodec);
        Assert.InRange(output.Probe.DurationSeconds!.Value, 1.95, 2.06);
        Assert.InRange(EngineFixture.MeanVolumeDb(file, 0.2, 1.5), -30, 0);   // the tone is there
        Assert.NotNull(output.Qc!.IntegratedLufs);
    }

    [Theory]
    [InlineData(OutputFormat.Png, "png", 0.5, 255, 0)]
    [InlineData(OutputFormat.Jpg, "mjpeg", 1.5, 0, 255)]
    public async Task A_still_is_one_frame_at_still_at(OutputFormat format, string codec, double at, int red, int green)
    {
        var settings = new OutputSettings(format, 160, 120, 30, Quality.Standard) { StillAt = at };
        var output = await f.Engine.RenderAsync(new RenderJob(Squares("#000000"), settings, Files, false), null, CancellationToken.None);
        var file = f.Storage.LocalPath(output.StorageKey);
        Assert.Equal(codec, output.Probe.VideoCodec);
        Assert.Null(output.Probe.AudioCodec);
        Assert.Equal((160, 120), (output.Probe.Width!.Value, output.Probe.Height!.Value));
        Assert.Equal("1", Probe(file, "stream=nb_read_frames", "-count_frames"));
        Colour.Near(f.Pixel(file, 0, 80, 60, 160, 120), (red, green, 0));     // the square of that moment
        Colour.Near(f.Pixel(file, 0, 5, 5, 160, 120), (0, 0, 0));
    }

    [Fact]
    public async Task A_transparent_png_still_keeps_its_alpha()
    {
        var settings = new OutputSettings(OutputFormat.Png, 160, 120, 30, Quality.Standard) { StillAt = 0.5 };
        var output = await f.Engine.RenderAsync(new RenderJob(Squares("transparent"), settings, Files, false), null, CancellationToken.None);
        var file = f.Storage.LocalPath(output.StorageKey);
        Assert.Equal("rgba", Probe(file, "stream=pix_fmt"));
        Assert.Equal(0, Rgba(file, 0, 5, 5, 160)[3]);
        Assert.Equal(255, Rgba(file, 0, 80, 60, 160)[3]);
    }

    [Theory]
    [InlineData(23.976, "24000/1001")]
    [InlineData(29.97, "30000/1001")]
    [InlineData(59.94, "60000/1001")]
    public async Task Fractional_rates_are_the_exact_ntsc_fractions(double fps, string rational)
    {
        var output = await f.Engine.RenderAsync(new RenderJob(Squares("#000000"), new OutputSettings(OutputFormat.Mp4, 160, 120, fps, Quality.Standard), Files, false),
            null, CancellationToken.None);
        var file = f.Storage.LocalPath(output.StorageKey);
        Assert.Equal(rational, Probe(file, "stream=r_frame_rate").Split('\n')[0]);
        Assert.Equal(rational, Probe(file, "stream=avg_frame_rate").Split('\n')[0]);
        // 2 s at 30000/1001 is 59.94 frames: 60 frames, each 1001/30000 s.
        var frames = int.Parse(Probe(file, "stream=nb_read_frames", "-count_frames", "-select_streams", "v"), CultureInfo.InvariantCulture);
        Assert.InRange(frames, (int)Math.Floor(2 * fps), (int)Math.Ceiling(2 * fps));
        Colour.Near(f.Pixel(file, 1.5, 80, 60, 160, 120), (0, 255, 0));
    }

    [Fact]
    public async Task A_draft_is_half_size_at_most_15_fps_marked_and_laid_out_like_the_standard_render()
    {
        var composition = new Composition(2, "#000000",
        [
            // A 40×40 square at pixel (200, 100) of the 640×360 layout: (100, 50) with side 20 in the half-size draft.
            new Layer { Type = LayerType.Color, Color = "#ff0000", Start = 0, Size = new Size(40, 40), Position = new Position(Coordinate.At(200), Coordinate.At(100)) },
        ]);
        var draft = await f.Engine.RenderAsync(new RenderJob(composition, new OutputSettings(OutputFormat.Mp4, 640, 360, 30, Quality.Draft), Files, false), null, CancellationToken.None);
        var file = f.Storage.LocalPath(draft.StorageKey);
        Assert.Equal((320, 180), (draft.Probe.Width!.Value, draft.Probe.Height!.Value));
        Assert.InRange(draft.Probe.Fps!.Value, 14.9, 15.1);
        var frame = EngineFixture.FrameAt(file, 1, 320, 180);
        var red = frame.Bounds(p => p.R > 150 && p.G < 80 && p.B < 80)!.Value;
        Assert.InRange(red.Left, 99, 101);
        Assert.InRange(red.Top, 49, 51);
        Assert.InRange(red.Right - red.Left, 18, 21);
        // The DRAFT mark: bright text in the top-right corner of an otherwise black frame.
        Assert.True(frame.Count(p => Frame.Bright(p) && p.G > 150) > 30, "no DRAFT mark");
        var mark = frame.Bounds(p => Frame.Bright(p) && p.G > 150)!.Value;
        Assert.True(mark.Left > 200 && mark.Bottom < 50, $"the mark is at {mark}");
    }
}
