using BenchmarkDotNet.Attributes;
using RenderOwl.Domain.Rendering;
using RenderOwl.Infrastructure.Rendering.Drawing;

namespace RenderOwl.Benchmarks;

/// <summary>
/// What drawing a text layer costs (SkiaSharp + HarfBuzz, to a PNG ffmpeg overlays): a title, a wrapped paragraph in a
/// box, and the same paragraph with <c>font_size: "auto"</c> (a search over sizes), at 1280×720.
/// <c>dotnet bench/RenderOwl.Benchmarks/bin/Release/net10.0/RenderOwl.Benchmarks.dll --filter '*TextBenchmarks*'</c>
/// </summary>
[MemoryDiagnoser]
public class TextBenchmarks
{
    private const string Paragraph = "RenderOwl draws every text layer itself: words wrapped inside their box, aligned, with line height, "
        + "letter spacing, a stroke, a shadow and a rounded background, at the largest size that fits when asked to.";

    private static readonly Layer Title = new()
    {
        Type = LayerType.Text, Text = "Hello, Ada", Start = 0, Style = new TextStyle(72, "#ffffff", null),
    };

    private static readonly Layer Boxed = new()
    {
        Type = LayerType.Text, Text = Paragraph, Start = 0, Size = new Size(900, 300),
        Style = new TextStyle
        {
            FontSize = 40, Color = "#ffffff", Align = "center", VerticalAlign = "center", Stroke = new Stroke("#000000", 2),
            Shadow = new Shadow("#00000080", 3, 3), Background = new TextBackground("#1e90ffcc", 16, 12),
        },
    };

    private static readonly Layer Auto = Boxed with { Style = Boxed.Style! with { FontSize = FontSize.Fit } };

    [Benchmark(Description = "title, 72 px, unsized")]
    public int TitleText() => TextPainter.Paint(Title, 1280, 720).Png.Length;

    [Benchmark(Description = "paragraph wrapped in a 900×300 box, styled")]
    public int BoxedParagraph() => TextPainter.Paint(Boxed, 1280, 720).Png.Length;

    [Benchmark(Description = "the same with font_size auto")]
    public int AutoSizedParagraph() => TextPainter.Paint(Auto, 1280, 720).Png.Length;
}
