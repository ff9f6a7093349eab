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
