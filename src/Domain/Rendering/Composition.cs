namespace RenderOwl.Domain.Rendering;

/// <summary>
/// A timeline: a background and layers, each visible from <see cref="Layer.Start"/> for its duration. As submitted,
/// <see cref="Duration"/> may be left out (the composition ends with its last layer); once resolved
/// (<c>Timeline.Resolve</c>) it is always set, and so is every layer's start.
/// </summary>
public sealed record Composition(double? Duration, string Background, IReadOnlyList<Layer> Layers)
{
    /// <summary>Music lowered while a voice sounds.</summary>
    public Ducking? Ducking { get; init; }

    /// <summary>Uploaded fonts the text layers may name by family.</summary>
    public IReadOnlyList<FontReference>? Fonts { get; init; }

    /// <summary>The resolved duration, what the engine renders.</summary>
    public double Seconds => Duration ?? throw new InvalidOperationException("The composition's duration is resolved before it is rendered.");
}

/// <summary>When a layer starts: seconds from the composition's start, or where the layer with id <see cref="After"/> ends.</summary>
public readonly record struct LayerStart(double? Seconds, string? After)
{
    public static LayerStart At(double seconds) => new(seconds, null);
    public static LayerStart AfterLayer(string id) => new(null, id);
}

/// <summary>An uploaded font (an asset of kind <c>font</c>); its family name comes from the file.</summary>
public sealed record FontReference(Common.AssetId AssetId);

public enum AudioRole
{
    Effect,
    Voice,
    Music,
}

/// <summary>Music lowered by <see cref="AmountDb"/> while a layer of role <see cref="Under"/> sounds.</summary>
public sealed record Ducking(AudioRole Under, double? AmountDb);

public enum LayerType
{
    Color,
    Text,
    Image,
    Video,
    Audio,
    Shape,
    Caption,
}

public enum Animation
{
    None,
    FadeIn,
    FadeOut,
    FadeInOut,
}

/// <summary>How media fills its layer's box: never distorted unless <see cref="Fill"/>.</summary>
public enum Fit
{
    /// <summary>The whole media inside the box, transparent bars where the shapes differ (the default).</summary>
    Contain,
    /// <summary>The box filled, the media's overflow cut away evenly.</summary>
    Cover,
    /// <summary>Stretched to the box.</summary>
    Fill,
    /// <summary>The media's own size, centred in the box and cut at it.</summary>
    None,
}

public enum ShapeKind
{
    Rectangle,
    Ellipse,
}

/// <summary>
/// A horizontal or vertical position: a keyword (left/center/right, top/center/bottom), pixels from the top-left, or
/// a percentage of the frame's width or height.
/// </summary>
public readonly record struct Coordinate(string? Keyword, double? Pixels, double? Percent = null)
{
    public static Coordinate At(double pixels) => new(null, pixels);
    public static Coordinate Named(string keyword) => new(keyword, null);
    public static Coordinate PercentOf(double percent) => new(null, null, percent);
}

public sealed record Position(Coordinate X, Coordinate Y);

/// <summary>A width or height: pixels, or a percentage of the frame's.</summary>
public readonly record struct Length(double? Pixels, double? Percent)
{
    public static implicit operator Length(int pixels) => new(pixels, null);
    public static Length PercentOf(double percent) => new(null, percent);

    /// <summary>In pixels of a frame <paramref name="frame"/> pixels across (at least 1).</summary>
    public int Resolve(int frame) => Math.Max(1, (int)Math.Round(Pixels ?? (Percent ?? 100) * frame / 100.0));
}

public sealed record Size(Length Width, Length Height);

/// <summary>Fractions (0–1) of the source cut away from each side before it is fitted.</summary>
public sealed record Crop(double? Top, double? Right, double? Bottom, double? Left);

public sealed record Stroke(string Color, double Width);

public sealed record Shadow(string Color, double? X, double? Y);

public sealed record TextBackground(string Color, double? Padding, double? CornerRadius);

/// <summary>A font size: points (pixels) or <c>"auto"</c>, the largest that fits the box.</summary>
public readonly record struct FontSize(double? Points, bool Auto)
{
    public static implicit operator FontSize(int points) => new(points, false);
    public static FontSize Fit => new(null, true);
}

/// <summary>How a text layer's words are set. Everything is optional; <see cref="BackgroundColor"/> is the older flat background.</summary>
public sealed record TextStyle
{
    public TextStyle()
    {
    }

    /// <summary>The older positional form: size, colour, background colour.</summary>
    public TextStyle(int? fontSize, string? color, string? backgroundColor)
        => (FontSize, Color, BackgroundColor) = (fontSize is { } s ? s : null, color, backgroundColor);

    public string? FontFamily { get; init; }
    public FontSize? FontSize { get; init; }
    public double? MinFontSize { get; init; }
    public double? MaxFontSize { get; init; }
    public int? FontWeight { get; init; }
    public string? Color { get; init; }
    public double? LineHeight { get; init; }
    public double? LetterSpacing { get; init; }
    public string? Align { get; init; }
    public string? VerticalAlign { get; init; }
    public Stroke? Stroke { get; init; }
    public Shadow? Shadow { get; init; }
    public TextBackground? Background { get; init; }
    public string? BackgroundColor { get; init; }
}

/// <summary>One layer. Which fields apply depends on <see cref="Type"/>; the validator enforces that.</summary>
public sealed record Layer
{
    public LayerType Type { get; init; }
    /// <summary>Optional, unique in the composition: what <c>"start": "after:&lt;id&gt;"</c> names.</summary>
    public string? Id { get; init; }
    /// <summary>As written: seconds, or after another layer. <see cref="Start"/> is its resolved value.</summary>
    [System.Text.Json.Serialization.JsonPropertyName("start")]
    public LayerStart StartAt { get; init; }
    [System.Text.Json.Serialization.JsonIgnore]
    public double Start
    {
        get => StartAt.Seconds ?? 0;
        init => StartAt = LayerStart.At(value);
    }
    /// <summary>Null: until the end of the composition (or of the media for video/audio).</summary>
    public double? Duration { get; init; }
    public string? Color { get; init; }
    public string? Text { get; init; }
    public TextStyle? Style { get; init; }
    public Animation? Animation { get; init; }
    public Position? Position { get; init; }
    /// <summary>The point of the layer placed at <see cref="Position"/>: top-left, top, top-right, left, center, right, bottom-left, bottom, bottom-right.</summary>
    public string? Anchor { get; init; }
    public Size? Size { get; init; }
    public Fit? Fit { get; init; }
    public Crop? Crop { get; init; }
    public double? Opacity { get; init; }
    /// <summary>Degrees, clockwise, about the anchor.</summary>
    public double? Rotation { get; init; }
    public Transition? Transition { get; init; }
    public Effect? Effect { get; init; }
    public VisualFilter? Filter { get; init; }
    public Keyframes? Keyframes { get; init; }
    public ShapeKind? Shape { get; init; }
    public double? CornerRadius { get; init; }
    public Stroke? Stroke { get; init; }
    public Common.AssetId? AssetId { get; init; }
    /// <summary>Image, video, audio: an https URL instead of <see cref="AssetId"/>, imported into the account's assets at submission.</summary>
    public string? Src { get; init; }
    /// <summary>A caption layer's cues written inline, as SRT.</summary>
    public string? Srt { get; init; }
    /// <summary>A caption layer's cues written inline, as WebVTT.</summary>
    public string? Vtt { get; init; }
    /// <summary>Lines a caption may take (default 2): a longer cue is set smaller.</summary>
    public int? MaxLines { get; init; }
    public double? TrimStart { get; init; }
    /// <summary>Seconds of the media used from <see cref="TrimStart"/> (before <see cref="Speed"/>).</summary>
    public double? TrimDuration { get; init; }
    /// <summary>0.25–4: playback speed of a video or audio layer (pitch kept).</summary>
    public double? Speed { get; init; }
    /// <summary>Repeats the media to fill the layer's duration.</summary>
    public bool? Loop { get; init; }
    /// <summary>A video layer without its sound.</summary>
    public bool? Muted { get; init; }
    public double? AudioFadeIn { get; init; }
    public double? AudioFadeOut { get; init; }
    public AudioRole? Role { get; init; }
    public double? Volume { get; init; }

    public double EndWithin(double compositionDuration) => Math.Min(compositionDuration, Start + (Duration ?? compositionDuration));
}
