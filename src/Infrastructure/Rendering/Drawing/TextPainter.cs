using RenderOwl.Domain.Rendering;
using SkiaSharp;

namespace RenderOwl.Infrastructure.Rendering.Drawing;

/// <summary>A text layer drawn: the PNG (transparent outside the text and its background), its size, and what the layout found.</summary>
public sealed record PaintedText(byte[] Png, int Width, int Height, float FontSize, bool Overflow, bool MissingGlyphs);

/// <summary>
/// Draws a text layer to an image its box's size: words wrapped inside the box (or, without a size, at the frame's
/// width), aligned, with line height, letter spacing, weight, stroke, shadow and a rounded background box; with
/// <c>font_size: "auto"</c> the largest size whose layout fits. Nothing is painted outside the box: text that still
/// does not fit is cut at it (<see cref="PaintedText.Overflow"/>).
/// </summary>
public static class TextPainter
{
    public const float DefaultMinAutoSize = 8;

    public static PaintedText Paint(Layer layer, int frameWidth, int frameHeight, Func<string, SKTypeface?>? uploadedFont = null)
    {
        var style = layer.Style ?? new TextStyle();
        var weight = style.FontWeight ?? 400;
        var family = style.FontFamily ?? Fonts.DefaultFamily;
        var typeface = uploadedFont?.Invoke(family) ?? Fonts.Family(family, weight) ?? Fonts.Family(Fonts.DefaultFamily, weight)
            ?? throw new InvalidOperationException($"Neither '{family}' nor '{Fonts.DefaultFamily}' is installed.");
        var text = layer.Text ?? "";
        var lineHeight = (float)(style.LineHeight ?? 1.2);
        var spacing = (float)(style.LetterSpacing ?? 0);
        var background = style.Background ?? (style.BackgroundColor is { } flat ? new TextBackground(flat, null, null) : null);
        var stroke = style.Stroke is { Width: > 0 } s ? s : null;
        var shadow = style.Shadow;

        var box = layer.Size is { } size ? (W: size.Width.Resolve(frameWidth), H: size.Height.Resolve(frameHeight)) : ((int W, int H)?)null;
        var fixedSize = (float)(style.FontSize?.Points ?? Math.Max(12, frameHeight / 15));
        var padding = background is null ? 0f : (float)(background.Padding ?? Math.Max(4, (style.FontSize?.Points ?? fixedSize) / 4));
        var strokeWidth = (float)(stroke?.Width ?? 0);

        TextLayout layout;
        if (box is { } b)
        {
            var inner = (W: Math.Max(1, b.W - (2 * padding)), H: Math.Max(1, b.H - (2 * padding)));
            layout = style.FontSize is { Auto: true }
                ? FitSize(typeface, weight, spacing, lineHeight, text, inner, (float)(style.MinFontSize ?? DefaultMinAutoSize), (float)(style.MaxFontSize ?? Math.Min(500, inner.H)))
                : Set(typeface, weight, fixedSize, spacing, lineHeight, text, inner.W);
        }
        else
        {
            // Unsized text wraps at the frame's width rather than run off it.
            layout = Set(typeface, weight, fixedSize, spacing, lineHeight, text, Math.Max(1, frameWidth - (2 * padding) - (2 * strokeWidth)));
        }
        var (width, height) = box ?? ((int)Math.Ceiling(layout.Width + (2 * padding) + (2 * strokeWidth) + Math.Abs((float)(shadow?.X ?? 0))),
            (int)Math.Ceiling(layout.Height + (2 * padding) + (2 * strokeWidth) + Math.Abs((float)(shadow?.Y ?? 0))));
        width = Math.Max(1, width);
        height = Math.Max(1, height);
        var overflow = layout.WordsCut || layout.Height > height - (2 * padding) + 0.5f;

        using var surface = Canvas.Transparent(width, height);
        var canvas = surface.Canvas;
        canvas.ClipRect(new SKRect(0, 0, width, height));
        if (background is not null)
        {
            using var fill = new SKPaint { Color = Colour(background.Color), IsAntialias = true };
            var radius = (float)(background.CornerRadius ?? 0);
            canvas.DrawRoundRect(new SKRect(0, 0, width, height), radius, radius, fill);
        }
        DrawBlock(canvas, layout, style, width, height, padding, strokeWidth);
        return new PaintedText(Canvas.Png(surface), width, height, layout.FontSize, overflow, layout.MissingGlyphs);
    }

    /// <summary>The laid-out lines drawn inside a <paramref name="width"/>×<paramref name="height"/> area of the canvas: shadow, stroke, then the glyphs.</summary>
    public static void DrawBlock(SKCanvas canvas, TextLayout layout, TextStyle style, int width, int height, float padding, float strokeWidth)
    {
        var stroke = style.Stroke is { Width: > 0 } s ? s : null;
        var shadow = style.Shadow;
        var left = padding + strokeWidth + Math.Max(0, -(float)(shadow?.X ?? 0));
        var top = padding + strokeWidth + Math.Max(0, -(float)(shadow?.Y ?? 0));
        var areaW = width - left - padding - strokeWidth - Math.Max(0, (float)(shadow?.X ?? 0));
        var areaH = height - top - padding - strokeWidth - Math.Max(0, (float)(shadow?.Y ?? 0));
        var y0 = (style.VerticalAlign ?? "top") switch
        {
            "center" => top + ((areaH - layout.Height) / 2),
            "bottom" => top + areaH - layout.Height,
            _ => top,
        };
        var baselineInLine = ((layout.LineAdvance - (layout.Ascent + layout.Descent)) / 2) + layout.Ascent;
        using var blob = BuildBlob(layout, style.Align ?? "left", left, areaW, y0 + baselineInLine);
        if (blob is null)
        {
            return;
        }
        if (shadow is not null)
        {
            using var shadowPaint = new SKPaint { Color = Colour(shadow.Color), IsAntialias = true };
            canvas.DrawText(blob, (float)(shadow.X ?? 0), (float)(shadow.Y ?? 0), shadowPaint);
        }
        if (stroke is not null)
        {
            using var outline = new SKPaint
            {
                Color = Colour(stroke.Color), IsAntialias = true, Style = SKPaintStyle.Stroke, StrokeWidth = 2 * (float)stroke.Width, StrokeJoin = SKStrokeJoin.Round,
            };
            canvas.DrawText(blob, 0, 0, outline);
        }
        using var paint = new SKPaint { Color = Colour(style.Color ?? "#ffffff"), IsAntialias = true };
        canvas.DrawText(blob, 0, 0, paint);
    }

    private static SKTextBlob? BuildBlob(TextLayout layout, string align, float left, float areaW, float firstBaseline)
    {
        using var builder = new SKTextBlobBuilder();
        var any = false;
        for (var i = 0; i < layout.Lines.Count; i++)
        {
            var line = layout.Lines[i];
            var x = align switch
            {
                "center" => left + ((areaW - line.Width) / 2),
                "right" => left + areaW - line.Width,
                _ => left,
            };
            var baseline = firstBaseline + (i * layout.LineAdvance);
            foreach (var run in line.Runs)
            {
                if (run.Glyphs.Length > 0)
                {
                    using var font = new SKFont(run.Typeface, layout.FontSize) { Subpixel = true, Edging = SKFontEdging.Antialias };
                    var buffer = builder.AllocatePositionedRun(font, run.Glyphs.Length);
                    buffer.SetGlyphs(run.Glyphs);
                    buffer.SetPositions(run.Points.Select(p => new SKPoint(x + p.X, baseline + p.Y)).ToArray());
                    any = true;
                }
                x += run.Advance;
            }
        }
        return any ? builder.Build() : null;
    }

    private static TextLayout Set(SKTypeface typeface, int weight, float size, float spacing, float lineHeight, string text, float maxWidth)
    {
        using var setter = new TextSetter(typeface, weight, size, spacing, lineHeight);
        return setter.Set(text, maxWidth);
    }

    /// <summary>The largest size (to a quarter point) in [min, max] whose layout fits the box without breaking a word; min when none does.</summary>
    private static TextLayout FitSize(SKTypeface typeface, int weight, float spacing, float lineHeight, string text, (float W, float H) box, float min, float max)
    {
        bool Fits(TextLayout l) => !l.WordsCut && l.Height <= box.H && l.Width <= box.W;
        var best = Set(typeface, weight, min, spacing, lineHeight, text, box.W);
        if (!Fits(best))
        {
            return best;
        }
        var (lo, hi) = (min, Math.Max(min, max));
        var top = Set(typeface, weight, hi, spacing, lineHeight, text, box.W);
        if (Fits(top))
        {
            return top;
        }
        while (hi - lo > 0.25f)
        {
            var mid = (lo + hi) / 2;
            var layout = Set(typeface, weight, mid, spacing, lineHeight, text, box.W);
            if (Fits(layout))
            {
                (lo, best) = (mid, layout);
            }
            else
            {
                hi = mid;
            }
        }
        return best;
    }

    /// <summary>#rrggbb or #rrggbbaa (validated at submission).</summary>
    public static SKColor Colour(string hex)
    {
        var h = hex.TrimStart('#');
        var rgb = Convert.ToUInt32(h[..6], 16);
        var alpha = h.Length == 8 ? Convert.ToByte(h[6..], 16) : (byte)255;
        return new SKColor((byte)(rgb >> 16), (byte)(rgb >> 8), (byte)rgb, alpha);
    }
}
