using RenderOwl.Domain.Rendering;
using SkiaSharp;

namespace RenderOwl.Infrastructure.Rendering.Drawing;

/// <summary>A shape layer drawn to an image its box's size: a rectangle (rounded corners) or an ellipse, filled and/or stroked inside the box.</summary>
public static class ShapePainter
{
    public static byte[] Paint(Layer layer, int width, int height)
    {
        using var surface = Canvas.Transparent(width, height);
        var canvas = surface.Canvas;
        var strokeWidth = (float)Math.Min(layer.Stroke?.Width ?? 0, Math.Min(width, height) / 2.0);
        // The stroke is drawn inside the box: its centre line is half its width in.
        var inset = strokeWidth / 2;
        var rect = new SKRect(inset, inset, width - inset, height - inset);
        var radius = (float)Math.Min(layer.CornerRadius ?? 0, Math.Min(width, height) / 2.0);
        if (layer.Color is { } color)
        {
            using var fill = new SKPaint { Color = TextPainter.Colour(color), IsAntialias = true };
            Draw(canvas, layer.Shape, rect, radius, fill);
        }
        if (layer.Stroke is { } stroke && strokeWidth > 0)
        {
            using var outline = new SKPaint { Color = TextPainter.Colour(stroke.Color), IsAntialias = true, Style = SKPaintStyle.Stroke, StrokeWidth = strokeWidth };
            Draw(canvas, layer.Shape, rect, Math.Max(0, radius - inset), outline);
        }
        return Canvas.Png(surface);
    }

    private static void Draw(SKCanvas canvas, ShapeKind? shape, SKRect rect, float radius, SKPaint paint)
    {
        if (shape == ShapeKind.Ellipse)
        {
            canvas.DrawOval(rect, paint);
        }
        else
        {
            canvas.DrawRoundRect(rect, radius, radius, paint);
        }
    }
}
