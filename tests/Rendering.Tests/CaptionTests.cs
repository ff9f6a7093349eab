using RenderOwl.Application.Common.Media;
using RenderOwl.Application.Common.Errors;
using RenderOwl.Application.Rendering;
using RenderOwl.Domain.Common;
using RenderOwl.Domain.Rendering;

namespace RenderOwl.Rendering.Tests;

/// <summary>Captions burned in from SRT and WebVTT, and text in an uploaded font, measured on the frames.</summary>
public sealed class CaptionTests(EngineFixture f) : IClassFixture<EngineFixture>
{
    private const string Srt = "1\n00:00:00,500 --> 00:00:01,200\nHello there\n\n2\n00:00:01,600 --> 00:00:02,400\n<i>Second</i> cue\n";
    private static readonly AssetId Subtitles = new(Guid.CreateVersion7());
    private static readonly AssetId Font = new(Guid.CreateVersion7());

    private async Task<Func<double, Frame>> RenderAsync(Composition composition, Dictionary<AssetId, MediaFile>? files = null, Dictionary<AssetId, double>? lengths = null)
    {
        var errors = new List<FieldError>();
        var resolved = Timeline.Resolve(composition, id => lengths?[id], "composition", errors);
        Assert.Empty(errors);
        var job = new RenderJob(resolved!, new OutputSettings(OutputFormat.Mp4, 320, 240, 10, Quality.High), files ?? [], false);
        var output = await f.Engine.RenderAsync(job, null, CancellationToken.None);
        Assert.Equal(resolved!.Seconds, output.Probe.DurationSeconds!.Value, 0.11);
        var path = f.Storage.LocalPath(output.StorageKey);
        return t => EngineFixture.FrameAt(path, t, 320, 240);
    }

    private static int TextPixels(Frame frame) => frame.Count(Frame.Bright);

    [Fact]
    public async Task The_text_region_is_painted_exactly_during_each_cue()
    {
        var frames = await RenderAsync(new Composition(3, "#000000", [new Layer { Type = LayerType.Caption, Srt = Srt, Start = 0 }]));
        // 10 fps: frames at 0.0, 0.1, …; frames(t) decodes the first at or after t, so t − 0.01 is the frame at t.
        Assert.Equal(0, TextPixels(frames(0.39)));   // the frame at 0.4
        Assert.True(TextPixels(frames(0.49)) > 20);   // 0.5: the first cue
        Assert.True(TextPixels(frames(1.09)) > 20);   // 1.1: still
        Assert.Equal(0, TextPixels(frames(1.19)));   // 1.2: gone
        Assert.Equal(0, TextPixels(frames(1.49)));
        Assert.True(TextPixels(frames(1.59)) > 20);   // 1.6: the second
        Assert.True(TextPixels(frames(2.29)) > 20);
        Assert.Equal(0, TextPixels(frames(2.39)));   // 2.4: gone, for good
        Assert.Equal(0, TextPixels(frames(2.89)));
        var shown = frames(0.75).Bounds(Frame.Bright)!.Value;
        Assert.True(shown.Top > 160, $"bottom-centre by default: {shown}");
        Assert.InRange((shown.Left + shown.Right) / 2.0, 150, 170);
    }

    [Fact]
    public async Task A_long_cue_wraps_within_its_lines_and_a_caption_without_duration_ends_with_its_last_cue()
    {
        var vtt = "WEBVTT\n\nNOTE a comment block\n\nintro\n00:00.200 --> 00:01.500 align:start\n" +
            "A caption long enough that it cannot fit on one line of this small frame, so it wraps\n";
        var file = Path.Combine(f.Folder, "captions.vtt");
        await File.WriteAllTextAsync(file, vtt);
        var frames = await RenderAsync(new Composition(null, "#000000", [new Layer { Type = LayerType.Caption, AssetId = Subtitles, Start = 0.5, MaxLines = 2 }]),
            new() { [Subtitles] = new(file, "text/vtt") }, new() { [Subtitles] = 1.5 });
        var shown = frames(1.2).Bounds(Frame.Bright)!.Value;
        Assert.True(shown.Left >= 16 && shown.Right <= 304, $"inside the 90 % box: {shown}");
        Assert.True(shown.Bottom - shown.Top > 20, $"two lines: {shown}");
    }

    [Fact]
    public async Task An_uploaded_font_changes_the_glyphs()
    {
        var fontFile = "/usr/share/fonts/truetype/noto/NotoSerifDisplay-Regular.ttf"; // not a built-in family
        Assert.True(File.Exists(fontFile), "fonts-noto-core is installed by scripts/services.sh");
        Layer Text(string? family) => new()
        {
            Type = LayerType.Text, Text = "Illumination", Start = 0, Style = new TextStyle { FontSize = 30, FontFamily = family, Color = "#ffffff" },
        };
        var builtIn = await RenderAsync(new Composition(1, "#000000", [Text(null)]));
        var uploaded = await RenderAsync(new Composition(1, "#000000", [Text("Noto Serif Display")]) { Fonts = [new FontReference(Font)] },
            new() { [Font] = new(fontFile, "font/ttf") });
        var (a, b) = (builtIn(0.5), uploaded(0.5));
        var differing = 0;
        for (var y = 0; y < 240; y++)
        {
            for (var x = 0; x < 320; x++)
            {
                differing += Frame.Bright(a[x, y]) != Frame.Bright(b[x, y]) ? 1 : 0;
            }
        }
        Assert.True(differing > 300, $"the serif glyphs differ from the built-in sans: {differing} pixels");
    }
}
