using RenderOwl.Application.Common.Media;
using RenderOwl.Application.Rendering;
using RenderOwl.Domain.Common;
using RenderOwl.Domain.Rendering;
using RenderOwl.Infrastructure.Rendering.Drawing;

namespace RenderOwl.Rendering.Tests;

/// <summary>Text that fits its box, measured on the rendered frames (and, for the chosen size, on the drawing).</summary>
public sealed class TextTests(EngineFixture f) : IClassFixture<EngineFixture>
{
    private const string Long = "The quick brown fox jumps over the lazy dog while the five boxing wizards jump quickly past it";

    private async Task<Frame> RenderAsync(params Layer[] layers)
    {
        var job = new RenderJob(new Composition(1, "#000000", layers), new OutputSettings(OutputFormat.Mp4, 320, 240, 10, Quality.High),
            new Dictionary<AssetId, MediaFile>(), false);
        var output = await f.Engine.RenderAsync(job, null, CancellationToken.None);
        return EngineFixture.FrameAt(f.Storage.LocalPath(output.StorageKey), 0.5, 320, 240);
    }

    private static Layer Boxed(string text, TextStyle style, int x = 60, int y = 70, int w = 200, int h = 100) => new()
    {
        Type = LayerType.Text, Text = text, Start = 0, Style = style, Size = new Size(w, h),
        Position = new Position(Coordinate.At(x), Coordinate.At(y)),
    };

    [Fact]
    public async Task Wrapped_text_never_paints_a_pixel_outside_its_box()
    {
        var frame = await RenderAsync(Boxed(Long + " " + Long, new TextStyle { FontSize = 22, Color = "#ffffff" }));
        var painted = frame.Bounds(p => p.R + p.G + p.B > 60)!.Value;
        Assert.InRange(painted.Left, 60, 260);
        Assert.InRange(painted.Right, 60, 260);
        Assert.InRange(painted.Top, 70, 170);
        Assert.InRange(painted.Bottom, 70, 170);
        Assert.True(painted.Bottom - painted.Top > 80, $"the text wrapped onto lines down the box: {painted}");
    }

    [Fact]
    public void Auto_size_shrinks_a_long_text_into_the_box_and_grows_a_short_one()
    {
        var style = new TextStyle { FontSize = FontSize.Fit, Color = "#ffffff" };
        var shrunk = TextPainter.Paint(Boxed(Long, style), 320, 240);
        var grown = TextPainter.Paint(Boxed("Hi", style), 320, 240);
        Assert.False(shrunk.Overflow);
        Assert.False(grown.Overflow);
        Assert.InRange(shrunk.FontSize, 8, 30);
        Assert.InRange(grown.FontSize, 60, 100); // two letters fill a 200×100 box: about the box's height over the line height
        var bounded = TextPainter.Paint(Boxed("Hi", style with { MaxFontSize = 40 }), 320, 240);
        Assert.Equal(40, bounded.FontSize);
    }

    [Fact]
    public async Task Auto_size_fills_the_box_on_the_frame()
    {
        var frame = await RenderAsync(Boxed("Hi", new TextStyle { FontSize = FontSize.Fit, Color = "#ffffff", Align = "center", VerticalAlign = "center" }));
        var painted = frame.Bounds(Frame.Bright)!.Value;
        Assert.True(painted.Bottom - painted.Top >= 50, $"glyphs {painted} fill most of the 100-pixel box");
        Assert.InRange((painted.Left + painted.Right) / 2.0, 150, 170); // centred in the box (60–260)
    }

    [Fact]
    public async Task Too_long_at_its_fixed_size_it_is_cut_at_the_box_and_reported()
    {
        var layer = Boxed(string.Join(' ', Enumerable.Repeat(Long, 6)), new TextStyle { FontSize = 30, Color = "#ffffff" });
        Assert.True(TextPainter.Paint(layer, 320, 240).Overflow);
        var painted = (await RenderAsync(layer)).Bounds(p => p.R + p.G + p.B > 60)!.Value;
        Assert.InRange(painted.Bottom, 70, 170);
    }

    [Theory]
    [InlineData("left")]
    [InlineData("right")]
    public async Task Alignment_puts_the_line_against_its_side_of_the_box(string align)
    {
        var frame = await RenderAsync(Boxed("Hi", new TextStyle { FontSize = 30, Color = "#ffffff", Align = align }));
        var painted = frame.Bounds(Frame.Bright)!.Value;
        if (align == "left")
        {
            Assert.InRange(painted.Left, 60, 70);
        }
        else
        {
            Assert.InRange(painted.Right, 250, 260);
        }
    }

    [Fact]
    public void A_family_changes_the_glyphs_and_a_weight_thickens_them()
    {
        var sans = TextPainter.Paint(Boxed("Rag", new TextStyle { FontSize = 40, FontFamily = "DejaVu Sans" }), 320, 240);
        var serif = TextPainter.Paint(Boxed("Rag", new TextStyle { FontSize = 40, FontFamily = "DejaVu Serif" }), 320, 240);
        var bold = TextPainter.Paint(Boxed("Rag", new TextStyle { FontSize = 40, FontFamily = "DejaVu Sans", FontWeight = 700 }), 320, 240);
        Assert.NotEqual(Opaque(sans.Png), Opaque(serif.Png));
        Assert.True(Opaque(bold.Png) > Opaque(sans.Png) * 1.15, "bold paints more ink than regular");
    }

    [Fact]
    public void A_character_the_font_lacks_falls_back_to_noto_and_one_no_font_has_is_reported()
    {
        var thai = TextPainter.Paint(Boxed("สวัสดี", new TextStyle { FontSize = 40 }), 320, 240); // not in DejaVu Sans
        Assert.False(thai.MissingGlyphs);
        Assert.True(Opaque(thai.Png) > 100);
        var nowhere = TextPainter.Paint(Boxed("a\uE000b", new TextStyle { FontSize = 40 }), 320, 240); // private use: no font has it
        Assert.True(nowhere.MissingGlyphs);
    }

    [Fact]
    public async Task A_background_box_fills_the_box_with_rounded_corners_behind_the_text()
    {
        var frame = await RenderAsync(Boxed("Hi", new TextStyle
        {
            FontSize = 30, Color = "#000000", Background = new TextBackground("#ffffff", 10, 30),
        }));
        Colour.Near(frame[250, 120], (255, 255, 255));  // inside the box, past the text
        Colour.Near(frame[61, 71], (0, 0, 0));           // the rounded corner leaves the frame showing
        Colour.Near(frame[160, 71], (255, 255, 255));    // the straight top edge is filled
        Colour.Near(frame[40, 120], (0, 0, 0));          // outside the box
    }

    [Fact]
    public async Task Stroke_and_shadow_paint_around_the_glyphs()
    {
        var plain = await RenderAsync(Boxed("I", new TextStyle { FontSize = 60, Color = "#ffffff" }));
        var stroked = await RenderAsync(Boxed("I", new TextStyle { FontSize = 60, Color = "#ffffff", Stroke = new Stroke("#ff0000", 4) }));
        var shadowed = await RenderAsync(Boxed("I", new TextStyle { FontSize = 60, Color = "#ffffff", Shadow = new Shadow("#00ff00", 6, 6) }));
        static bool Red((int R, int G, int B) p) => p.R > 150 && p.G < 90 && p.B < 90;
        static bool Green((int R, int G, int B) p) => p.G > 150 && p.R < 90 && p.B < 90;
        Assert.Equal(0, plain.Count(Red));
        Assert.True(stroked.Count(Red) > 100, "a red outline around the white I");
        Assert.True(shadowed.Count(Green) > 50, "a green shadow below and right of the white I");
        var white = shadowed.Bounds(p => p.R > 200 && p.G > 200 && p.B > 200)!.Value;
        var green = shadowed.Bounds(Green)!.Value;
        Assert.True(green.Right > white.Right && green.Bottom > white.Bottom, $"shadow {green} lies below-right of text {white}");
    }

    /// <summary>How many pixels of a drawn PNG are mostly opaque.</summary>
    private static int Opaque(byte[] png)
    {
        using var bitmap = SkiaSharp.SKBitmap.Decode(png);
        var n = 0;
        foreach (var pixel in bitmap.Pixels)
        {
            n += pixel.Alpha > 128 ? 1 : 0;
        }
        return n;
    }
}
