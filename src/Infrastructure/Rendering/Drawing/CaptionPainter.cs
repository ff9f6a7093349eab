using RenderOwl.Domain.Rendering;
using SkiaSharp;

namespace RenderOwl.Infrastructure.Rendering.Drawing;

/// <summary>
/// A caption layer's cues drawn one image each, every image the caption box's size so they can follow each other in one
/// stream: the text wrapped, at most <c>max_lines</c> lines (a longer cue is set smaller, down to 8 px, then cut),
/// bottom-centre by default, on a background box hugging the lines (black at 63 % unless the style names one).
/// </summary>
public static class CaptionPainter
{
    public const int DefaultMaxLines = 2;

    /// <summary>The caption box: the layer's size, or 90 % of the frame's width and room for its lines.</summary>
    public static (int W, int H) Box(Layer layer, int frameWidth, int frameHeight)
    {
        if (layer.Size is { } size)
        {
            return (size.Width.Resolve(frameWidth), size.Height.Resolve(frameHeight));
        }
        var style = layer.Style ?? new TextStyle();
        var fontSize = FontSize(style, frameHeight);
        var lines = layer.MaxLines ?? DefaultMaxLines;
        var padding = Padding(style, fontSize);
        return ((int)Math.Round(frameWidth * 0.9), (int)Math.Ceiling((lines * fontSize * (style.LineHeight ?? 1.2)) + (2 * padding) + (2 * (style.Stroke?.Width ?? 0))));
    }

    public static float FontSize(TextStyle style, int frameHeight) => (float)(style.FontSize?.Points ?? Math.Max(14, frameHeight / 18));

    private static float Padding(TextStyle style, float fontSize) => (float)(style.Background?.Padding ?? Math.Max(6, fontSize / 3));

    /// <summary>One cue's image, the box's size.</summary>
    public static byte[] Paint(Layer layer, string text, int width, int height, int frameHeight, Func<string, SKTypeface?>? uploadedFont = null)
    {
        var style = layer.Style ?? new TextStyle();
        var weight = style.FontWeight ?? 400;
        var family = style.FontFamily ?? Fonts.DefaultFamily;
        var typeface = uploadedFont?.Invoke(family) ?? Fonts.Family(family, weight) ?? Fonts.Family(Fonts.DefaultFamily, weight)!;
        var size = FontSize(style, frameHeight);
        var padding = Padding(style, size);
        var strokeWidth = (float)(style.Stroke?.Width ?? 0);
        var innerWidth = Math.Max(1, width - (2 * padding) - (2 * strokeWidth));
        var maxLines = layer.MaxLines ?? DefaultMaxLines;
        var lineHeight = (float)(style.LineHeight ?? 1.2);
        TextLayout layout;
        while (true)
        {
            using var setter = new TextSetter(typeface, weight, size, (float)(style.LetterSpacing ?? 0), lineHeight);
            layout = setter.Set(text, innerWidth);
            if (layout.Lines.Count <= maxLines || size <= 8)
            {
                break;
            }
            size = Math.Max(8, size * 0.92f);
        }
        if (layout.Lines.Count > maxLines)
        {
            layout = layout with { Lines = layout.Lines.Take(maxLines).ToList() };
        }

        using var surface = Canvas.Transparent(width, height);
        var canvas = surface.Canvas;
        var blockW = layout.Width + (2 * padding) + (2 * strokeWidth);
        var blockH = layout.Height + (2 * padding) + (2 * strokeWidth);
        var left = (style.Align ?? "center") switch
        {
            "left" => 0,
            "right" => width - blockW,
            _ => (width - blockW) / 2,
        };
        var top = (style.VerticalAlign ?? "bottom") switch
        {
            "top" => 0,
            "center" => (height - blockH) / 2,
            _ => height - blockH,
        };
        var background = style.Background ?? new TextBackground("#000000a0", padding, size / 4);
        using (var fill = new SKPaint { Color = TextPainter.Colour(background.Color), IsAntialias = true })
        {
            var radius = (float)(background.CornerRadius ?? 0);
            canvas.DrawRoundRect(new SKRect(left, top, left + blockW, top + blockH), radius, radius, fill);
        }
        canvas.Save();
        canvas.Translate(left, top);
        TextPainter.DrawBlock(canvas, layout, style with { VerticalAlign = "top" }, (int)Math.Ceiling(blockW), (int)Math.Ceiling(blockH), padding, strokeWidth);
        canvas.Restore();
        return Canvas.Png(surface);
    }
}
