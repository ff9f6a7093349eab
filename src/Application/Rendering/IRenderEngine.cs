using RenderOwl.Application.Common.Media;
using RenderOwl.Domain.Common;
using RenderOwl.Domain.Rendering;

namespace RenderOwl.Application.Rendering;

/// <summary>What to render: the composition, the output settings, the local files (with their sniffed types) of the assets it uses.</summary>
public sealed record RenderJob(Composition Composition, OutputSettings Output, IReadOnlyDictionary<AssetId, MediaFile> AssetFiles, bool Watermark);

/// <summary>A verified output, already in storage.</summary>
public sealed record RenderOutput(string StorageKey, long SizeBytes, string Sha256, MediaProbe Probe)
{
    public Domain.Rendering.QualityReport? Qc { get; init; }
    public Domain.Rendering.EngineRun? Engine { get; init; }
    /// <summary>The JPEG poster of a video output, stored beside it.</summary>
    public string? PosterKey { get; init; }
    /// <summary>The contact sheet, when asked for.</summary>
    public string? ThumbnailsKey { get; init; }

    /// <summary>Every stored file of this output.</summary>
    public IEnumerable<string> Keys => new[] { StorageKey, PosterKey, ThumbnailsKey }.OfType<string>();

    /// <summary>What a render records of it.</summary>
    public Domain.Rendering.RenderOutputInfo ToInfo(Domain.Rendering.OutputFormat format)
        => new(StorageKey, format.ToString().ToLowerInvariant(), Probe.Width ?? 0, Probe.Height ?? 0, Math.Round(Probe.Fps ?? 0, 3),
            Math.Round(Probe.DurationSeconds ?? 0, 3), SizeBytes, Sha256)
        {
            Qc = Qc, Engine = Engine, PosterKey = PosterKey, ThumbnailsKey = ThumbnailsKey,
        };
}

/// <summary>A segment's rendered picture, for the join: its file and where it starts on the output's clock.</summary>
public sealed record SegmentFile(string Path, double Start, Domain.Rendering.QualityReport? Qc);

/// <summary>Joins a split render's segments: the sound made once for the whole timeline, the pictures concatenated without re-encoding.</summary>
public interface ISegmentJoiner
{
    /// <summary>Verified and stored like a render's output (poster, contact sheet and loudness included). Throws <see cref="RenderFailedException"/>.</summary>
    Task<RenderOutput> JoinAsync(RenderJob job, IReadOnlyList<SegmentFile> segments, CancellationToken cancellationToken);
}

public interface IRenderEngine
{
    /// <summary>
    /// Renders, verifies with ffprobe and stores the output. Progress is reported 0–100. Cancellation stops
    /// ffmpeg and leaves nothing in storage. Throws <see cref="RenderFailedException"/>.
    /// </summary>
    Task<RenderOutput> RenderAsync(RenderJob job, IProgress<double>? progress, CancellationToken cancellationToken);
}

/// <summary>
/// A render that did not produce a valid output. <see cref="Retryable"/>: a crash, timeout or I/O problem that
/// another attempt may not hit; otherwise the input is at fault and a retry would fail the same way.
/// <see cref="Diagnostics"/> (ffmpeg's stderr, truncated) is for logs and operators, never for clients.
/// </summary>
public sealed class RenderFailedException(string code, string message, bool retryable, string? diagnostics = null) : Exception(message)
{
    public string Code { get; } = code;
    public bool Retryable { get; } = retryable;
    public string? Diagnostics { get; } = diagnostics;
}
