namespace RenderOwl.Domain.Rendering;

/// <summary>A succeeded render's output: where it is, what ffprobe found, and what it was measured and made with.</summary>
public sealed record RenderOutputInfo(string StorageKey, string Format, int Width, int Height, double Fps, double DurationSeconds, long SizeBytes, string Sha256)
{
    /// <summary>What the output was measured to hold; null for renders finished before the quality report existed.</summary>
    public QualityReport? Qc { get; init; }

    /// <summary>The engine that made it: what the manifest reports (null for renders from before manifests).</summary>
    public EngineRun? Engine { get; init; }

    /// <summary>The JPEG poster every video output gets (null for other formats and older renders).</summary>
    public string? PosterKey { get; init; }

    /// <summary>The contact sheet, when <c>thumbnails</c> was asked for.</summary>
    public string? ThumbnailsKey { get; init; }

    /// <summary>Every stored file of this output: the output, its poster and its contact sheet.</summary>
    public IEnumerable<string> Keys() => new[] { StorageKey, PosterKey, ThumbnailsKey }.OfType<string>();
}

/// <summary>The ffmpeg that rendered an output and its exact arguments, with the run's own paths written as placeholders.</summary>
public sealed record EngineRun
{
    public string FfmpegVersion { get; init; } = "";
    public List<string> Arguments { get; init; } = [];
}

/// <summary>A stretch of the output, in seconds.</summary>
public sealed record TimeSegment(double Start, double End);

/// <summary>
/// The output measured after rendering: loudness (EBU R128 integrated, true peak; null without sound) and the stretches
/// of 0.5 s or more that are black, silent or frozen.
/// </summary>
public sealed record QualityReport
{
    /// <summary>EBU R128 integrated loudness, LUFS; null without sound (or below the gate: silence).</summary>
    public double? IntegratedLufs { get; init; }
    /// <summary>True peak, dBTP; null without sound.</summary>
    public double? TruePeakDb { get; init; }
    public List<TimeSegment> BlackSegments { get; init; } = [];
    public List<TimeSegment> SilentSegments { get; init; } = [];
    public List<TimeSegment> FrozenSegments { get; init; } = [];
}
