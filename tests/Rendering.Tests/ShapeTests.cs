using RenderOwl.Application.Common.Media;
using RenderOwl.Application.Rendering;
using RenderOwl.Domain.Common;
using RenderOwl.Domain.Rendering;

namespace RenderOwl.Rendering.Tests;

/// <summary>Rectangles and ellipses, filled and stroked, measured on the rendered frames.</summary>
public sealed class ShapeTests(EngineFixture f) : IClassFixture<EngineFixture>
{
    private async Task<Frame> RenderAsync(Layer layer)
    {
        var job = new RenderJob(new Composition(1, "#000000", [layer]), new OutputSettings(OutputFormat.Mp4, 320, 240, 10, Quality.High),
            new Dictionary<AssetId, MediaFile>(), false);
        var output = await f.Engine.RenderAsync(job, null, CancellationToken.None);
        return EngineFixture.FrameAt(f.Storage.LocalPath(output.StorageKey), 0.5, 320, 240);
    }

    private static Layer Shape(ShapeKind kind, string? color, double? radius = null, Stroke? stroke = null) => new()
    {
        Type = LayerType.Shape, Shape = kind, Color = color, CornerRadius = radius, Stroke = stroke, Start = 0,
        Size = new Size(100, 100), Position = new Position(Coordinate.At(100), Coordinate.At(60)),
    };

    [Fact]
    public async Task An_ellipse_fills_its_middle_and_leaves_its_corners()
    {
        var frame = await RenderAsync(Shape(ShapeKind.Ellipse, "#ffffff"));
        Colour.Near(frame[150, 110], (255, 255, 255));
        Colour.Near(frame[104, 64], (0, 0, 0));
        Colour.Near(frame[150, 62], (255, 255, 255)); // the top of the circle touches the box's top edge
        Assert.Equal((100, 60, 200, 160), frame.Bounds(Frame.Bright));
    }

    [Fact]
    public async Task A_rounded_rectangle_cuts_its_corners_only()
    {
        var square = await RenderAsync(Shape(ShapeKind.Rectangle, "#ffffff"));
        var rounded = await RenderAsync(Shape(ShapeKind.Rectangle, "#ffffff", radius: 30));
        Colour.Near(square[102, 62], (255, 255, 255));
        Colour.Near(rounded[102, 62], (0, 0, 0));
        Colour.Near(rounded[150, 62], (255, 255, 255));
        Colour.Near(rounded[102, 110], (255, 255, 255));
    }

    [Fact]
    public async Task A_stroke_without_a_fill_draws_the_outline_inside_the_box()
    {
        var frame = await RenderAsync(Shape(ShapeKind.Rectangle, null, stroke: new Stroke("#ffffff", 6)));
        Colour.Near(frame[102, 110], (255, 255, 255));
        Colour.Near(frame[150, 110], (0, 0, 0)); // hollow
        Assert.Equal((100, 60, 200, 160), frame.Bounds(Frame.Bright));
    }
}
