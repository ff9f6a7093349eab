namespace RenderOwl.Domain.Rendering;

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
