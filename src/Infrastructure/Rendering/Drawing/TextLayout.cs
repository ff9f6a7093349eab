using System.Globalization;
using System.Text;
using SkiaSharp;
using SkiaSharp.HarfBuzz;

namespace RenderOwl.Infrastructure.Rendering.Drawing;

/// <summary>A run of glyphs in one typeface, shaped by HarfBuzz, with positions relative to the run's start.</summary>
public sealed record GlyphRun(SKTypeface Typeface, ushort[] Glyphs, SKPoint[] Points, float Advance);

/// <summary>One line: its runs in order and its width.</summary>
public sealed record TextLine(IReadOnlyList<GlyphRun> Runs, float Width);

/// <summary>
/// Text set at one size: lines broken at spaces (and at explicit newlines) to fit <c>maxWidth</c>, a word longer than
/// a line broken between characters. <see cref="WordsCut"/>: some word had to be broken that way; <see cref="MissingGlyphs"/>:
/// some character is in no installed font.
/// </summary>
public sealed record TextLayout(IReadOnlyList<TextLine> Lines, float FontSize, float LineAdvance, float Ascent, float Descent, bool WordsCut, bool MissingGlyphs)
{
    public float Width => Lines.Count == 0 ? 0 : Lines.Max(l => l.Width);

    public float Height => Lines.Count * LineAdvance;
}

/// <summary>Sets text: shaping with HarfBuzz per run of one typeface (the chosen font, or the fallback for characters it lacks), then greedy line breaking.</summary>
public sealed class TextSetter(SKTypeface primary, int weight, float fontSize, float letterSpacing, float lineHeight) : IDisposable
{
    private readonly SKFont _font = new(primary, fontSize) { Subpixel = true, Edging = SKFontEdging.Antialias };
    private readonly Dictionary<SKTypeface, SKShaper> _shapers = [];
    private bool _missing;

    public TextLayout Set(string text, float? maxWidth)
    {
        _font.GetFontMetrics(out var metrics);
        var lines = new List<TextLine>();
        var cut = false;
        foreach (var paragraph in text.Replace("\r\n", "\n", StringComparison.Ordinal).Split('\n'))
        {
            cut |= Break(paragraph, maxWidth, lines);
        }
        return new TextLayout(lines, fontSize, fontSize * lineHeight, -metrics.Ascent, metrics.Descent, cut, _missing);
    }

    /// <summary>Greedy: as many words as fit; true when a word wider than the line had to be broken between characters.</summary>
    private bool Break(string paragraph, float? maxWidth, List<TextLine> lines)
    {
        var words = paragraph.Split(' ');
        var space = Shape(" ");
        var current = new List<GlyphRun>();
        var width = 0f;
        var cut = false;
        foreach (var word in words)
        {
            var runs = Shape(word);
            var wordWidth = runs.Sum(r => r.Advance);
            var gap = current.Count == 0 ? 0 : space.Sum(r => r.Advance);
            if (maxWidth is { } max && current.Count > 0 && width + gap + wordWidth > max)
            {
                lines.Add(new TextLine(current, width));
                (current, width, gap) = ([], 0, 0);
            }
            if (maxWidth is { } limit && wordWidth > limit)
            {
                cut = true;
                foreach (var piece in Pieces(word, limit))
                {
                    if (current.Count > 0)
                    {
                        lines.Add(new TextLine(current, width));
                        (current, width) = ([], 0);
                    }
                    current.AddRange(piece.Runs);
                    width = piece.Width;
                }
                continue;
            }
            if (gap > 0)
            {
                current.AddRange(space);
            }
            current.AddRange(runs);
            width += gap + wordWidth;
        }
        lines.Add(new TextLine(current, width));
        return cut;
    }

    /// <summary>A word too wide for a line, in pieces of as many characters (text elements) as fit, at least one each.</summary>
    private IEnumerable<(List<GlyphRun> Runs, float Width)> Pieces(string word, float limit)
    {
        var elements = StringInfo.GetTextElementEnumerator(word);
        var piece = new StringBuilder();
        List<GlyphRun> fitted = [];
        var fittedWidth = 0f;
        while (elements.MoveNext())
        {
            var element = (string)elements.Current;
            var candidate = Shape(piece + element);
            var candidateWidth = candidate.Sum(r => r.Advance);
            if (piece.Length > 0 && candidateWidth > limit)
            {
                yield return (fitted, fittedWidth);
                piece.Clear();
                candidate = Shape(element);
                candidateWidth = candidate.Sum(r => r.Advance);
            }
            piece.Append(element);
            (fitted, fittedWidth) = (candidate, candidateWidth);
        }
        if (piece.Length > 0)
        {
            yield return (fitted, fittedWidth);
        }
    }

    /// <summary>The text as runs, each in the first typeface that has its characters.</summary>
    private List<GlyphRun> Shape(string text)
    {
        var runs = new List<GlyphRun>();
        if (text.Length == 0)
        {
            return runs;
        }
        var start = 0;
        SKTypeface? runFace = null;
        var index = 0;
        while (index < text.Length)
        {
            var codepoint = char.ConvertToUtf32(text, index);
            var length = char.IsSurrogatePair(text, index) ? 2 : 1;
            var face = FaceFor(codepoint);
            if (runFace is not null && !ReferenceEquals(face, runFace))
            {
                runs.Add(ShapeRun(text[start..index], runFace));
                start = index;
            }
            runFace = face;
            index += length;
        }
        runs.Add(ShapeRun(text[start..], runFace!));
        return runs;
    }

    private SKTypeface FaceFor(int codepoint)
    {
        if (codepoint is ' ' or '\t' || char.GetUnicodeCategory(char.ConvertFromUtf32(codepoint), 0) is UnicodeCategory.Format or UnicodeCategory.Control
            || _font.ContainsGlyph(codepoint))
        {
            return primary;
        }
        if (Fonts.Fallback(codepoint, weight) is { } fallback)
        {
            return fallback;
        }
        _missing = true;
        return primary;
    }

    private GlyphRun ShapeRun(string text, SKTypeface face)
    {
        if (!_shapers.TryGetValue(face, out var shaper))
        {
            _shapers[face] = shaper = new SKShaper(face);
        }
        using var font = new SKFont(face, fontSize) { Subpixel = true };
        var result = shaper.Shape(text, font);
        var glyphs = result.Codepoints.Select(g => (ushort)g).ToArray();
        var points = result.Points.Select((p, i) => new SKPoint(p.X + (letterSpacing * i), p.Y)).ToArray();
        return new GlyphRun(face, glyphs, points, result.Width + (letterSpacing * glyphs.Length));
    }

    public void Dispose()
    {
        foreach (var shaper in _shapers.Values)
        {
            shaper.Dispose();
        }
        _font.Dispose();
    }
}
