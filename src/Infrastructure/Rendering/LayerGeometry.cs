using RenderOwl.Domain.Rendering;

namespace RenderOwl.Infrastructure.Rendering;

/// <summary>Where a layer's box goes in the frame: its size, the anchor point placed at its position, and its rotation about that point.</summary>
internal static class LayerGeometry
{
    public static readonly Position TopLeft = new(Coordinate.At(0), Coordinate.At(0));
    public static readonly Position Centre = new(Coordinate.Named("center"), Coordinate.Named("center"));

    /// <summary>The layer's box in pixels: its <c>size</c> (pixels or percent of the frame), else the frame's.</summary>
    public static (int W, int H) Box(Layer layer, OutputSettings o)
        => layer.Size is { } s ? (s.Width.Resolve(o.Width), s.Height.Resolve(o.Height)) : (o.Width, o.Height);

    /// <summary>
    /// The frame position of the box's top-left corner before rotation, and the anchor as fractions of the box.
    /// A number or percentage places the anchor (default top-left) at that point; a keyword without an anchor aligns
    /// the box with that side or the centre of the frame (left: flush left, right: flush right); with an anchor, the
    /// keyword names a point (left 0, center half, right the full width) where the anchor is placed.
    /// </summary>
    public static (double X, double Y, double Fx, double Fy) Place(Layer layer, int w, int h, OutputSettings o, Position whenUnset)
    {
        var p = layer.Position ?? whenUnset;
        var (ax, ay) = layer.Anchor is { } anchor ? AnchorFractions(anchor) : (KeywordFraction(p.X), KeywordFraction(p.Y));
        var x = Point(p.X, o.Width) - (ax * w);
        var y = Point(p.Y, o.Height) - (ay * h);
        return (x, y, ax, ay);
    }

    /// <summary>
    /// The overlay's top-left for a box rotated <paramref name="degrees"/> clockwise about its anchor: the box's centre
    /// turns about the anchor, and the rotated picture (its own size, <c>w</c>×<c>h</c> in the overlay) is centred there.
    /// Returns overlay expressions for x and y.
    /// </summary>
    public static (string X, string Y) OverlayAt(double x, double y, double fx, double fy, int w, int h, double degrees)
    {
        if (degrees % 360 == 0)
        {
            return (FfmpegCommandBuilder.N(Math.Round(x)), FfmpegCommandBuilder.N(Math.Round(y)));
        }
        var (anchorX, anchorY) = (x + (fx * w), y + (fy * h));
        var (dx, dy) = (x + (w / 2.0) - anchorX, y + (h / 2.0) - anchorY);
        var r = degrees * Math.PI / 180;
        var (cx, cy) = (anchorX + (dx * Math.Cos(r)) - (dy * Math.Sin(r)), anchorY + (dx * Math.Sin(r)) + (dy * Math.Cos(r)));
        return ($"{FfmpegCommandBuilder.N(cx)}-w/2", $"{FfmpegCommandBuilder.N(cy)}-h/2");
    }

    private static double Point(Coordinate c, int frame) => c switch
    {
        { Pixels: { } px } => px,
        { Percent: { } pc } => pc * frame / 100.0,
        { Keyword: "center" } => frame / 2.0,
        { Keyword: "right" or "bottom" } => frame,
        _ => 0,
    };

    private static double KeywordFraction(Coordinate c) => c.Keyword switch
    {
        "center" => 0.5,
        "right" or "bottom" => 1,
        _ => 0,
    };

    private static (double X, double Y) AnchorFractions(string anchor) => anchor switch
    {
        "top-left" => (0, 0),
        "top" => (0.5, 0),
        "top-right" => (1, 0),
        "left" => (0, 0.5),
        "center" => (0.5, 0.5),
        "right" => (1, 0.5),
        "bottom-left" => (0, 1),
        "bottom" => (0.5, 1),
        "bottom-right" => (1, 1),
        _ => (0, 0),
    };
}
