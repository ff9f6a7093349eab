using RenderOwl.Application.Common.Media;
using RenderOwl.Application.Rendering;
using RenderOwl.Domain.Common;
using RenderOwl.Domain.Rendering;

namespace RenderOwl.Rendering.Tests;

/// <summary>Transitions, effects, filters and keyframes, measured frame by frame where the easing says they should be.</summary>
public sealed class MotionTests(EngineFixture f) : IClassFixture<EngineFixture>
{
    private static readonly AssetId Edged = new(Guid.CreateVersion7());
    private static readonly AssetId Halves = new(Guid.CreateVersion7());
    private static readonly AssetId Red = new(Guid.CreateVersion7());

    /// <summary>Renders 2 s at 320×240, 20 fps (a frame every 0.05 s), and returns a reader of its frames.</summary>
    private async Task<Func<double, Frame>> RenderAsync(params Layer[] layers)
    {
        var files = new Dictionary<AssetId, MediaFile>
        {
            [Edged] = new(f.EdgedPng, "image/png"), [Halves] = new(f.HalvesPng, "image/png"), [Red] = new(f.RedPng, "image/png"),
        };
        var job = new RenderJob(new Composition(2, "#000000", layers), new OutputSettings(OutputFormat.Mp4, 320, 240, 20, Quality.High), files, false);
        var output = await f.Engine.RenderAsync(job, null, CancellationToken.None);
        var path = f.Storage.LocalPath(output.StorageKey);
        return t => EngineFixture.FrameAt(path, t, 320, 240);
    }

    private static Layer Square(int size = 40, int x = 140, int y = 100) => new()
    {
        Type = LayerType.Color, Color = "#ffffff", Start = 0, Size = new Size(size, size), Position = new Position(Coordinate.At(x), Coordinate.At(y)),
    };

    private static Transition In(TransitionType type, double seconds = 1) => new(new TransitionStep(type, seconds), null);

    [Fact]
    public async Task A_slide_in_puts_the_left_edge_where_the_easing_says_at_a_quarter()
    {
        var frames = await RenderAsync(Square() with { Transition = In(TransitionType.SlideRight) });
        // Enters from the left (off-frame: 180 px to travel), ease-out: at 1/4, 1-(3/4)² = 0.4375 of the way.
        var expected = 140 - (180 * (1 - Easings.Apply(Easing.EaseOut, 0.25)));
        Assert.InRange(frames(0.25).Bounds(Frame.Bright)!.Value.Left, expected - 4, expected + 4);
        Assert.Equal(140, frames(1.5).Bounds(Frame.Bright)!.Value.Left); // at rest after it
    }

    [Fact]
    public async Task A_slide_out_leaves_through_its_side()
    {
        var frames = await RenderAsync(Square() with { Duration = 2, Transition = new Transition(null, new TransitionStep(TransitionType.SlideUp, 1)) });
        var top = frames(1.5).Bounds(Frame.Bright)!.Value.Top; // halfway out, ease-in: 1/4 of the way to -40
        var expected = 100 - (140 * Easings.Apply(Easing.EaseIn, 0.5));
        Assert.InRange(top, expected - 4, expected + 4);
    }

    [Fact]
    public async Task A_fade_and_keyframed_opacity_measure_their_alpha()
    {
        var frames = await RenderAsync(
            new Layer { Type = LayerType.Color, Color = "#ffffff", Start = 0, Size = new Size(100, 100), Transition = In(TransitionType.Fade) },
            new Layer
            {
                Type = LayerType.Color, Color = "#ffffff", Start = 0, Size = new Size(100, 100), Position = new Position(Coordinate.At(200), Coordinate.At(0)),
                Keyframes = new Keyframes { Opacity = [new Keyframe(0, 0, null), new Keyframe(1, 1, null)] },
            });
        var at = frames(0.5);
        Assert.InRange(at.Luma(50, 50), 255 * 0.5 - 15, 255 * 0.5 + 15);    // linear fade, half way
        Assert.InRange(at.Luma(250, 50), 255 * 0.5 - 15, 255 * 0.5 + 15);   // keyframed 0 → 1 over 1 s: ≈ 0.5 at 0.5 s
        Assert.InRange(frames(1.5).Luma(250, 50), 240, 255);
    }

    [Fact]
    public async Task A_wipe_reveals_from_one_side()
    {
        var frames = await RenderAsync(Square(200, 0, 0) with { Transition = In(TransitionType.WipeRight) });
        var shown = frames(0.5).Bounds(Frame.Bright)!.Value; // ease-out at 1/2: 3/4 of the width
        Assert.Equal(0, shown.Left);
        Assert.InRange(shown.Right, 150 - 4, 150 + 4);
    }

    [Fact]
    public async Task A_zoom_in_grows_the_layer_about_its_centre()
    {
        var frames = await RenderAsync(Square(100, 110, 70) with { Transition = In(TransitionType.ZoomIn) });
        var box = frames(0.5).Bounds(Frame.Bright)!.Value; // 3/4 of 100 px, still centred on (160, 120)
        Assert.InRange(box.Right - box.Left, 75 - 4, 75 + 4);
        Assert.InRange((box.Left + box.Right) / 2.0, 158, 162);
    }

    [Fact]
    public async Task Keyframes_move_scale_and_turn_the_layer()
    {
        var moved = await RenderAsync(Square() with { Keyframes = new Keyframes { X = [new Keyframe(0, 0, null), new Keyframe(1, 200, null)] } });
        Assert.InRange(moved(0.5).Bounds(Frame.Bright)!.Value.Left, 100 - 2, 100 + 2);

        var scaled = await RenderAsync(Square(40, 160, 120) with { Anchor = "center", Keyframes = new Keyframes { Scale = [new Keyframe(0, 1, null), new Keyframe(1, 2, Easing.EaseInOut)] } });
        var half = scaled(0.5).Bounds(Frame.Bright)!.Value; // ease-in-out at 1/2 is 1/2: 1.5 × 40
        Assert.InRange(half.Right - half.Left, 60 - 3, 60 + 3);
        Assert.InRange((half.Left + half.Right) / 2.0, 158, 162);

        var turned = await RenderAsync(new Layer
        {
            Type = LayerType.Color, Color = "#ffffff", Start = 0, Size = new Size(100, 20), Anchor = "center",
            Position = new Position(Coordinate.Named("center"), Coordinate.Named("center")),
            Keyframes = new Keyframes { Rotation = [new Keyframe(0, 0, null), new Keyframe(1, 90, null)] },
        });
        var start = turned(0).Bounds(Frame.Bright)!.Value;
        var end = turned(1.5).Bounds(Frame.Bright)!.Value;
        Assert.InRange(start.Right - start.Left, 98, 102);
        Assert.InRange(end.Bottom - end.Top, 98, 102);
        Assert.InRange(end.Right - end.Left, 18, 22);
        Assert.InRange((end.Top + end.Bottom) / 2.0, 118, 122);
    }

    [Fact]
    public async Task Hold_keeps_the_value_until_the_next_keyframe()
    {
        var frames = await RenderAsync(Square() with { Keyframes = new Keyframes { X = [new Keyframe(0, 0, Easing.Hold), new Keyframe(1, 200, null)] } });
        Assert.Equal(0, frames(0.9).Bounds(Frame.Bright)!.Value.Left);
        Assert.Equal(200, frames(1.2).Bounds(Frame.Bright)!.Value.Left);
    }

    [Fact]
    public async Task Effects_move_the_picture_inside_its_box()
    {
        var image = new Layer { Type = LayerType.Image, Start = 0, Fit = Fit.Fill, Position = new Position(Coordinate.At(0), Coordinate.At(0)) };
        // Green stripes 40 px wide at each side: zoomed 120 % and cropped back to the box, 16 px of them are left.
        var kenBurns = await RenderAsync(image with { AssetId = Edged, Effect = Effect.KenBurnsIn });
        Colour.Near(kenBurns(0)[25, 120], (0, 255, 0), 70);
        Colour.Near(kenBurns(1.95)[25, 120], (255, 0, 0), 70);
        // Red left, blue right: panning left, the boundary moves from x 192 to x 128.
        var pan = await RenderAsync(image with { AssetId = Halves, Effect = Effect.PanLeft });
        Colour.Near(pan(0)[160, 120], (255, 0, 0), 70);
        Colour.Near(pan(1.95)[160, 120], (0, 0, 255), 70);
    }

    [Fact]
    public async Task Filters_change_the_colours()
    {
        var image = new Layer { Type = LayerType.Image, AssetId = Red, Start = 0, Fit = Fit.Fill, Size = new Size(160, 240), Position = new Position(Coordinate.At(0), Coordinate.At(0)) };
        var frames = await RenderAsync(image with { Filter = VisualFilter.Grayscale },
            image with { Filter = VisualFilter.Invert, Position = new Position(Coordinate.At(160), Coordinate.At(0)) });
        var (r, g, b) = frames(0.5)[80, 120];
        Assert.True(Math.Abs(r - g) < 20 && Math.Abs(g - b) < 20, $"grey, not red: {(r, g, b)}");
        Colour.Near(frames(0.5)[240, 120], (0, 255, 255), 60); // red inverted is cyan
    }
}

/// <summary>Every transition, effect and filter renders and changes the picture where it should; text spacing and line height move the glyphs.</summary>
public sealed class MotionCatalogueTests(EngineFixture f) : IClassFixture<EngineFixture>
{
    private static readonly AssetId Halves = new(Guid.CreateVersion7());
    private static readonly AssetId Mid = new(Guid.CreateVersion7());
    private static readonly AssetId Edged = new(Guid.CreateVersion7());

    private async Task<Frame> FrameAsync(Layer layer, double at)
    {
        var job = new RenderJob(new Composition(2, "#000000", [layer]), new OutputSettings(OutputFormat.Mp4, 160, 120, 20, Quality.High),
            new Dictionary<AssetId, MediaFile> { [Halves] = new(f.HalvesPng, "image/png"), [Mid] = new(f.MidPng, "image/png"), [Edged] = new(f.EdgedPng, "image/png") }, false);
        var output = await f.Engine.RenderAsync(job, null, CancellationToken.None);
        return EngineFixture.FrameAt(f.Storage.LocalPath(output.StorageKey), at, 160, 120);
    }

    private static Layer Photo() => new()
    {
        Type = LayerType.Image, AssetId = Halves, Start = 0, Fit = Fit.Fill, Size = new Size(80, 60), Position = new Position(Coordinate.At(40), Coordinate.At(30)),
    };

    private static double Difference(Frame a, Frame b)
    {
        double sum = 0;
        for (var y = 0; y < a.Height; y++)
        {
            for (var x = 0; x < a.Width; x++)
            {
                var (p, q) = (a[x, y], b[x, y]);
                sum += Math.Abs(p.R - q.R) + Math.Abs(p.G - q.G) + Math.Abs(p.B - q.B);
            }
        }
        return sum / (a.Width * a.Height * 3);
    }

    [Theory]
    [InlineData(TransitionType.Fade)]
    [InlineData(TransitionType.SlideLeft)]
    [InlineData(TransitionType.SlideRight)]
    [InlineData(TransitionType.SlideUp)]
    [InlineData(TransitionType.SlideDown)]
    [InlineData(TransitionType.WipeLeft)]
    [InlineData(TransitionType.WipeRight)]
    [InlineData(TransitionType.ZoomIn)]
    [InlineData(TransitionType.ZoomOut)]
    public async Task Each_transition_changes_the_picture_while_it_runs_and_leaves_it_at_rest(TransitionType type)
    {
        var still = await FrameAsync(Photo(), 0.5);
        var entering = await FrameAsync(Photo() with { Transition = new Transition(new TransitionStep(type, 1), null) }, 0.5);
        var leaving = await FrameAsync(Photo() with { Transition = new Transition(null, new TransitionStep(type, 1)) }, 1.5);
        var rested = await FrameAsync(Photo() with { Transition = new Transition(new TransitionStep(type, 0.5), null) }, 1.2);
        Assert.True(Difference(still, entering) > 3, $"{type} in: the frame half way differs from the layer at rest");
        Assert.True(Difference(still, leaving) > 3, $"{type} out: the frame half way differs from the layer at rest");
        Assert.True(Difference(still, rested) < 1.5, $"{type}: after it the layer is at rest");
    }

    [Theory]
    [InlineData(Effect.KenBurnsOut)]
    [InlineData(Effect.PanRight)]
    public async Task Each_effect_moves_the_picture_over_time(Effect effect)
    {
        var layer = Photo() with { AssetId = Edged, Effect = effect }; // green edges: a zoom or a pan moves them
        Assert.True(Difference(await FrameAsync(layer, 0.1), await FrameAsync(layer, 1.9)) > 2, $"{effect}: the start and end differ");
    }

    [Theory]
    [InlineData(VisualFilter.Sepia)]
    [InlineData(VisualFilter.Blur)]
    [InlineData(VisualFilter.Brighten)]
    [InlineData(VisualFilter.Darken)]
    [InlineData(VisualFilter.Contrast)]
    public async Task Each_filter_changes_the_colours(VisualFilter filter)
        => Assert.True(Difference(await FrameAsync(Photo() with { AssetId = Mid }, 0.5), await FrameAsync(Photo() with { AssetId = Mid, Filter = filter }, 0.5)) > 1, $"{filter} changes the picture");

    [Fact]
    public void Letter_spacing_widens_a_line_and_line_height_spaces_the_lines()
    {
        Layer Text(TextStyle style) => new() { Type = LayerType.Text, Text = "Spacing\nlines", Start = 0, Style = style };
        var plain = Infrastructure.Rendering.Drawing.TextPainter.Paint(Text(new TextStyle { FontSize = 30 }), 640, 360);
        var spaced = Infrastructure.Rendering.Drawing.TextPainter.Paint(Text(new TextStyle { FontSize = 30, LetterSpacing = 6 }), 640, 360);
        var tall = Infrastructure.Rendering.Drawing.TextPainter.Paint(Text(new TextStyle { FontSize = 30, LineHeight = 2 }), 640, 360);
        Assert.InRange(spaced.Width - plain.Width, (6 * 7) - 4, (6 * 7) + 8); // 7 letters on the longest line, each 6 px further
        Assert.InRange(tall.Height - plain.Height, (2 - 1.2) * 30 * 2 - 2, (2 - 1.2) * 30 * 2 + 2); // two lines, each 0.8 × 30 px taller
    }
}
