namespace RenderOwl.Application.Common.Media;

/// <summary>What ffprobe says of a media file.</summary>
public sealed record MediaProbe(string FormatName, string? VideoCodec, string? AudioCodec, int? Width, int? Height, double? Fps, double? DurationSeconds);

/// <summary>Media type detection and probing of untrusted files.</summary>
public interface IMediaInspector
{
    /// <summary>Decides the type from the content (magic bytes, then ffprobe); throws <see cref="Errors.AppException"/> (unsupported-media) otherwise.</summary>
    Task<InspectedMedia> InspectAsync(string path, CancellationToken cancellationToken);
    Task<MediaProbe> ProbeAsync(string path, CancellationToken cancellationToken);
}

public sealed record InspectedMedia(Domain.Assets.AssetKind Kind, string ContentType, int? Width, int? Height, double? DurationSeconds);
