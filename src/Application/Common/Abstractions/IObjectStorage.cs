namespace RenderOwl.Application.Common.Abstractions;

public sealed record StoredObject(string Key, long SizeBytes, string Sha256);

/// <summary>
/// Where files live (assets, render outputs). Keys are made by the server, never from user-supplied names.
/// Every write is atomic: readers see the whole object or nothing.
/// </summary>
public interface IObjectStorage
{
    /// <summary>Streams <paramref name="content"/> into <paramref name="key"/>, hashing on the way; throws <see cref="ObjectTooLargeException"/> past <paramref name="maxBytes"/> (nothing is kept then).</summary>
    Task<StoredObject> WriteAsync(string key, Stream content, long maxBytes, CancellationToken cancellationToken);

    /// <summary>Moves a finished local file into <paramref name="key"/> atomically.</summary>
    Task<StoredObject> CommitFileAsync(string localFile, string key, CancellationToken cancellationToken);

    /// <summary>
    /// A second object with the same bytes as <paramref name="sourceKey"/>, sharing them where the store can (a hard link on
    /// a local volume): either may be deleted without touching the other.
    /// </summary>
    Task CopyAsync(string sourceKey, string key, CancellationToken cancellationToken);

    /// <summary>A scratch path on the storage volume (same file system, so a commit is a rename).</summary>
    string NewScratchPath(string extension);

    /// <summary>
    /// The object's file on this machine, for tools that read files (ffmpeg, ffprobe, SkiaSharp) and for downloads: the
    /// file itself on a local volume, a cached copy fetched on first use from object storage.
    /// </summary>
    ValueTask<string> LocalPathAsync(string key, CancellationToken cancellationToken);
    Task DeleteAsync(string key, CancellationToken cancellationToken);
}

public sealed class ObjectTooLargeException(long limit) : Exception($"The content exceeds {limit} bytes.")
{
    public long Limit { get; } = limit;
}
