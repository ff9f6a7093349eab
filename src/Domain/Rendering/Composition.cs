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

/// <summary>Stored in the output settings' JSON by name; new formats are added at the end.</summary>
public enum OutputFormat
{
    Mp4,
    Webm,
    Gif,
    /// <summary>QuickTime ProRes 4444 with an alpha channel (transparent where the background is <c>transparent</c>).</summary>
    MovAlpha,
    /// <summary>Sound only: the mix as MP3.</summary>
    Mp3,
    /// <summary>One frame at <see cref="OutputSettings.StillAt"/> as PNG.</summary>
    Png,
    /// <summary>One frame at <see cref="OutputSettings.StillAt"/> as JPEG.</summary>
    Jpg,
}

public enum Quality
{
    Draft,
    Standard,
    High,
}

public sealed record OutputSettings(OutputFormat Format, int Width, int Height, double Fps, Quality Quality)
{
    /// <summary>The most frames per second a draft is rendered at.</summary>
    public const double DraftMaxFps = 15;

    /// <summary>Only this part of the timeline is rendered; null: all of it.</summary>
    public TimeRange? Range { get; init; }

    /// <summary>png/jpg: the moment on the timeline the still is taken at (seconds, default 0).</summary>
    public double? StillAt { get; init; }

    /// <summary>Where the JPEG poster every video output gets is taken (null: 1 s, or the middle of shorter outputs).</summary>
    public PosterSettings? Poster { get; init; }

    /// <summary>A contact sheet of this many frames beside the output (null: none).</summary>
    public ThumbnailSettings? Thumbnails { get; init; }

    /// <summary>The mix normalised to this integrated loudness (EBU R128, two passes); null: as mixed.</summary>
    public LoudnessSettings? Loudness { get; init; }

    /// <summary>
    /// A segment of a split render: the picture of <see cref="Range"/> only, no sound (made once for the whole timeline
    /// when the segments are joined), no poster or contact sheet. Never set by a client.
    /// </summary>
    [System.Text.Json.Serialization.JsonIgnore]
    public bool Segment { get; init; }

    /// <summary>One frame as an image.</summary>
    [System.Text.Json.Serialization.JsonIgnore]
    public bool IsStill => Format is OutputFormat.Png or OutputFormat.Jpg;

    /// <summary>Moving pictures: every format but stills and MP3.</summary>
    [System.Text.Json.Serialization.JsonIgnore]
    public bool IsVideo => Format is OutputFormat.Mp4 or OutputFormat.Webm or OutputFormat.Gif or OutputFormat.MovAlpha;

    /// <summary>The formats that carry sound.</summary>
    [System.Text.Json.Serialization.JsonIgnore]
    public bool HasSound => !Segment && Format is OutputFormat.Mp4 or OutputFormat.Webm or OutputFormat.MovAlpha or OutputFormat.Mp3;

    [System.Text.Json.Serialization.JsonIgnore]
    public bool IsDraft => Quality == Quality.Draft;

    /// <summary>The frame rate rendered: a draft's is at most <see cref="DraftMaxFps"/>.</summary>
    [System.Text.Json.Serialization.JsonIgnore]
    public double RenderFps => IsDraft ? Math.Min(Fps, DraftMaxFps) : Fps;

    /// <summary>The size of the file's picture: a draft is half the width and height (even, at least 8), laid out at the full size and scaled.</summary>
    [System.Text.Json.Serialization.JsonIgnore]
    public (int Width, int Height) EncodedSize => IsDraft ? (Half(Width), Half(Height)) : (Width, Height);

    private static int Half(int side) => Math.Max(8, side / 4 * 2);

    /// <summary>How long the output lasts for a composition of <paramref name="compositionSeconds"/>; a still is one frame.</summary>
    public double OutputSeconds(double compositionSeconds)
        => IsStill ? 1 / Fps
            : Range is { } r ? Math.Min(r.Duration, compositionSeconds - r.Start) : compositionSeconds;

    /// <summary>Where on the timeline the output starts.</summary>
    [System.Text.Json.Serialization.JsonIgnore]
    public double TimelineStart => IsStill ? StillAt ?? 0 : Range?.Start ?? 0;
}

/// <summary>A part of the timeline: from <see cref="Start"/>, for <see cref="Duration"/> seconds.</summary>
public sealed record TimeRange(double Start, double Duration);

/// <summary><c>poster: {at}</c>: the second of the output the poster shows.</summary>
public sealed record PosterSettings(double? At);

/// <summary><c>thumbnails: {count}</c>: frames evenly spaced over the output, tiled into one JPEG.</summary>
public sealed record ThumbnailSettings(int Count);

/// <summary><c>loudness: {target_lufs}</c>.</summary>
public sealed record LoudnessSettings(double TargetLufs);
