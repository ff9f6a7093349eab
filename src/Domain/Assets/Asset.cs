using RenderOwl.Domain.Common;

namespace RenderOwl.Domain.Assets;

public enum AssetKind
{
    Image,
    Video,
    Audio,
    /// <summary>Captions: SRT or WebVTT.</summary>
    Subtitle,
    /// <summary>A TrueType or OpenType font.</summary>
    Font,
}

/// <summary>An uploaded or imported media file. Its type was decided from its content, not its name.</summary>
public sealed class Asset
{
    private Asset()
    {
        ContentType = string.Empty;
        Sha256 = string.Empty;
        StorageKey = string.Empty;
    }

    public AssetId Id { get; private set; }
    public ProjectId ProjectId { get; private set; }
    public UserId OwnerId { get; private set; }
    public AssetKind Kind { get; private set; }
    public string ContentType { get; private set; }
    public long SizeBytes { get; private set; }
    public int? Width { get; private set; }
    public int? Height { get; private set; }
    public double? DurationSeconds { get; private set; }
    public string Sha256 { get; private set; }
    public string StorageKey { get; private set; }
    public string? OriginalName { get; private set; }
    public string? SourceUrl { get; private set; }
    /// <summary>A font asset's family name, as the file declares it: what a text layer's <c>font_family</c> names.</summary>
    public string? FontFamily { get; private set; }
    public DateTimeOffset CreatedAt { get; private set; }
    /// <summary>An imported file's <c>ETag</c>, as its server sent it: revalidated, not fetched again, by the next render that names the URL.</summary>
    public string? SourceEtag { get; private set; }
    /// <summary>An imported file's <c>Last-Modified</c>.</summary>
    public DateTimeOffset? SourceLastModified { get; private set; }

    public const int MaxSourceEtagLength = 256;

    /// <summary>What the source's server said of the version imported (or revalidated).</summary>
    public void RememberSource(string? etag, DateTimeOffset? lastModified)
    {
        SourceEtag = etag is { Length: <= MaxSourceEtagLength } ? etag : null;
        SourceLastModified = lastModified is { } at ? Clock.ToStoragePrecision(at) : null;
    }

    public static Asset Create(AssetId id, ProjectId projectId, UserId ownerId, AssetKind kind, string contentType, long sizeBytes,
        int? width, int? height, double? durationSeconds, string sha256, string storageKey, string? originalName, string? sourceUrl, DateTimeOffset now,
        string? fontFamily = null)
        => new()
        {
            Id = id,
            ProjectId = projectId,
            OwnerId = ownerId,
            Kind = kind,
            ContentType = contentType,
            SizeBytes = sizeBytes,
            Width = width,
            Height = height,
            DurationSeconds = durationSeconds,
            Sha256 = sha256,
            StorageKey = storageKey,
            OriginalName = originalName is { Length: > 255 } ? originalName[..255] : originalName,
            SourceUrl = sourceUrl,
            FontFamily = fontFamily is { Length: > 128 } ? fontFamily[..128] : fontFamily,
            CreatedAt = Clock.ToStoragePrecision(now),
        };
}
