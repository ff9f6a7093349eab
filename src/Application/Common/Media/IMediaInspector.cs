namespace RenderOwl.Application.Common.Media;

/// <summary>What ffprobe says of a media file.</summary>
public sealed record MediaProbe(string FormatName, string? VideoCodec, string? AudioCodec, int? Width, int? Height, double? Fps, double? DurationSeconds);

/// <summary>
/// A file handed to ffmpeg or ffprobe, with the content type the sniffer decided at upload. The type picks the
/// one demuxer that may read it: a user file is never opened by libavformat's guessing.
/// </summary>
public sealed record MediaFile(string Path, string ContentType);

/// <summary>Media type detection and probing of untrusted files.</summary>
public interface IMediaInspector
{
    /// <summary>Decides the type from the content (structure, then ffprobe with that format forced); throws <see cref="Errors.AppException"/> (unsupported-media) otherwise.</summary>
    Task<InspectedMedia> InspectAsync(string path, CancellationToken cancellationToken);

    /// <summary>Probes a file of a known type (forced demuxer, local files only).</summary>
    Task<MediaProbe> ProbeAsync(MediaFile file, CancellationToken cancellationToken);
}

public sealed record InspectedMedia(Domain.Assets.AssetKind Kind, string ContentType, int? Width, int? Height, double? DurationSeconds, string? FontFamily = null);

/// <summary>ffprobe could not read a file (<c>probe_failed</c>) or did not finish in time (<c>probe_timeout</c>, worth a retry).</summary>
public sealed class MediaProbeFailedException(string code, string message, bool retryable, string? diagnostics = null) : Exception(message)
{
    public string Code { get; } = code;
    public bool Retryable { get; } = retryable;
    public string? Diagnostics { get; } = diagnostics;
}
