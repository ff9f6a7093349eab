using RenderOwl.Application.Common.Media;
using RenderOwl.Application.Rendering;
using RenderOwl.Domain.Common;
using RenderOwl.Domain.Rendering;

namespace RenderOwl.Rendering.Tests;

/// <summary>Where a layer lands and how media fills its box, measured on the rendered frames.</summary>
public sealed class PlacementTests(EngineFixture f) : IClassFixture<EngineFixture>
{
    private static readonly AssetId Red = new(Guid.CreateVersion7());
    private static readonly AssetId Edged = new(Guid.CreateVersion7());
    private static readonly AssetId Halves = new(Guid.CreateVersion7());

    /// <summary>Renders one still moment of <paramref name="layers"/> on black at 320×240 (high quality: edges stay where they are) and decodes it.</summary>
    private async Task<Frame> RenderAsync(params Layer[] layers)
    {
        var files = new Dictionary<AssetId, MediaFile>
        {
            [Red] = new(f.RedPng, "image/png"),
            [Edged] = new(f.EdgedPng, "image/png"),
            [Halves] = new(f.HalvesPng, "image/png"),
        };
        var job = new RenderJob(new Composition(1, "#000000", layers), new OutputSettings(OutputFormat.Mp4, 320, 240, 10, Quality.High), files, false);
        var output = await f.Engine.RenderAsync(job, null, CancellationToken.None);
        return EngineFixture.FrameAt(f.Storage.LocalPath(output.StorageKey), 0.5, 320, 240);
    }

    private static Layer Image(AssetId id, Fit? fit, Crop? crop = null)
        => new() { Type = LayerType.Image, AssetId = id, Start = 0, Size = new Size(320, 240), Fit = fit, Crop = crop, Position = new Position(Coordinate.At(0), Coordinate.At(0)) };

    [Fact]
    public async Task Contain_letterboxes_with_the_background_showing_at_the_sides()
    {
        var frame = await RenderAsync(Image(Red, Fit.Contain));
        Colour.Near(frame[160, 120], (255, 0, 0));
        Colour.Near(frame[20, 120], (0, 0, 0));   // the bars are transparent: the black frame shows
        Colour.Near(frame[300, 120], (0, 0, 0));
        var red = frame.Bounds(p => p.R > 128 && p.G < 100)!.Value;
        Assert.InRange(red.Right - red.Left, 238, 242); // 64×64 into 320×240: 240×240, never stretched
        Assert.InRange(red.Left, 39, 41);
    }

    [Fact]
    public async Task Contain_is_the_default_and_fill_stretches()
    {
        var byDefault = await RenderAsync(Image(Red, fit: null));
        Colour.Near(byDefault[20, 120], (0, 0, 0));
        var filled = await RenderAsync(Image(Red, Fit.Fill));
        Colour.Near(filled[2, 2], (255, 0, 0));
        Colour.Near(filled[317, 237], (255, 0, 0));
    }

    [Fact]
    public async Task Cover_fills_the_box_and_cuts_the_overflow()
    {
        // 64×32 with 8-pixel green edges left and right: into 320×240, cover scales to 480×240 and cuts 80 px each side.
        var covered = await RenderAsync(Image(Edged, Fit.Cover));
        Colour.Near(covered[2, 120], (255, 0, 0));
        Colour.Near(covered[317, 120], (255, 0, 0));
        Colour.Near(covered[160, 2], (255, 0, 0));
        var filled = await RenderAsync(Image(Edged, Fit.Fill)); // the same image stretched keeps its green edges
        Colour.Near(filled[2, 120], (0, 255, 0), 60);
    }

    [Fact]
    public async Task Crop_removes_the_named_side()
    {
        // Left half red, right half blue: cropping the left half leaves blue only.
        var whole = await RenderAsync(Image(Halves, Fit.Fill));
        Colour.Near(whole[40, 120], (255, 0, 0));
        var cropped = await RenderAsync(Image(Halves, Fit.Fill, new Crop(null, null, null, 0.5)));
        Colour.Near(cropped[40, 120], (0, 0, 255), 60);
        Colour.Near(cropped[280, 120], (0, 0, 255), 60);
    }

    [Fact]
    public async Task A_square_anchored_at_its_centre_is_centred_to_the_pixel()
    {
        var frame = await RenderAsync(new Layer
        {
            Type = LayerType.Color, Color = "#ffffff", Start = 0, Size = new Size(40, 40),
            Position = new Position(Coordinate.PercentOf(50), Coordinate.PercentOf(50)), Anchor = "center",
        });
        Assert.Equal((140, 100, 180, 140), frame.Bounds(Frame.Bright));
    }

    [Theory]
    [InlineData("bottom-right", 280, 200)] // the anchor at (280, 200): the box ends there
    [InlineData("top-left", 280, 200)]
    public async Task Each_anchor_puts_its_corner_at_the_position(string anchor, int x, int y)
    {
        var frame = await RenderAsync(new Layer
        {
            Type = LayerType.Color, Color = "#ffffff", Start = 0, Size = Pct(12.5, 10), Anchor = anchor,
            Position = new Position(Coordinate.At(x), Coordinate.At(y)),
        });
        var expected = anchor == "bottom-right" ? (x - 40, y - 24, x, y) : (x, y, Math.Min(320, x + 40), Math.Min(240, y + 24));
        Assert.Equal(expected, frame.Bounds(Frame.Bright));
    }

    [Fact]
    public async Task Keywords_align_the_box_with_the_frame()
    {
        var frame = await RenderAsync(new Layer
        {
            Type = LayerType.Color, Color = "#ffffff", Start = 0, Size = new Size(40, 20),
            Position = new Position(Coordinate.Named("right"), Coordinate.Named("bottom")),
        });
        Assert.Equal((280, 220, 320, 240), frame.Bounds(Frame.Bright));
    }

    [Fact]
    public async Task A_bar_turned_90_degrees_stands_upright_about_its_anchor()
    {
        var frame = await RenderAsync(new Layer
        {
            Type = LayerType.Color, Color = "#ffffff", Start = 0, Size = new Size(100, 20), Rotation = 90,
            Position = new Position(Coordinate.Named("center"), Coordinate.Named("center")), Anchor = "center",
        });
        var box = frame.Bounds(Frame.Bright)!.Value;
        Assert.InRange(box.Right - box.Left, 19, 21);
        Assert.InRange(box.Bottom - box.Top, 99, 101);
        Assert.InRange((box.Left + box.Right) / 2.0, 159, 161);  // still centred on its anchor
        Assert.InRange((box.Top + box.Bottom) / 2.0, 119, 121);
    }

    [Fact]
    public async Task Opacity_applies_to_every_visual_type_text_included()
    {
        var frame = await RenderAsync(
            new Layer { Type = LayerType.Color, Color = "#ffffff", Start = 0, Size = new Size(60, 60), Opacity = 0.5, Position = new Position(Coordinate.At(10), Coordinate.At(10)) },
            new Layer { Type = LayerType.Text, Text = "HHHH", Start = 0, Opacity = 0.5, Style = new TextStyle(80, "#ffffff", null), Position = new Position(Coordinate.At(100), Coordinate.At(100)) });
        Assert.InRange(frame.Luma(40, 40), 115, 140);
        var brightest = 0.0;
        for (var y = 100; y < 240; y++)
        {
            for (var x = 100; x < 320; x++)
            {
                brightest = Math.Max(brightest, frame.Luma(x, y));
            }
        }
        Assert.InRange(brightest, 110, 145); // the glyphs' solid strokes are mid-grey, not white
    }

    private static Size Pct(double w, double h) => new(Length.PercentOf(w), Length.PercentOf(h));
}
