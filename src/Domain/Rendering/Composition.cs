namespace RenderOwl.Domain.Rendering;

/// <summary>A timeline: a background and layers, each visible from <see cref="Layer.Start"/> for its duration.</summary>
public sealed record Composition(double Duration, string Background, IReadOnlyList<Layer> Layers);

public enum LayerType
{
    Color,
    Text,
    Image,
    Video,
    Audio,
}

public enum Animation
{
    None,
    FadeIn,
    FadeOut,
    FadeInOut,
}

/// <summary>A horizontal or vertical position: a keyword (left/center/right, top/center/bottom) or pixels from the top-left.</summary>
public readonly record struct Coordinate(string? Keyword, double? Pixels)
{
    public static Coordinate At(double pixels) => new(null, pixels);
    public static Coordinate Named(string keyword) => new(keyword, null);
}

public sealed record Position(Coordinate X, Coordinate Y);

public sealed record Size(int Width, int Height);

public sealed record TextStyle(int? FontSize, string? Color, string? BackgroundColor);

/// <summary>One layer. Which fields apply depends on <see cref="Type"/>; the validator enforces that.</summary>
public sealed record Layer
{
    public LayerType Type { get; init; }
    public double Start { get; init; }
    /// <summary>Null: until the end of the composition (or of the media for video/audio).</summary>
    public double? Duration { get; init; }
    public string? Color { get; init; }
    public string? Text { get; init; }
    public TextStyle? Style { get; init; }
    public Animation? Animation { get; init; }
    public Position? Position { get; init; }
    public Size? Size { get; init; }
    public double? Opacity { get; init; }
    public Common.AssetId? AssetId { get; init; }
    public double? TrimStart { get; init; }
    public double? Volume { get; init; }

    public double EndWithin(double compositionDuration) => Math.Min(compositionDuration, Start + (Duration ?? compositionDuration));
}

public enum OutputFormat
{
    Mp4,
    Webm,
    Gif,
}

public enum Quality
{
    Draft,
    Standard,
    High,
}

public sealed record OutputSettings(OutputFormat Format, int Width, int Height, int Fps, Quality Quality);
