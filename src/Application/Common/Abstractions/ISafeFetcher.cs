namespace RenderOwl.Application.Common.Abstractions;

/// <summary>
/// Fetches a URL given by a client, guarded against server-side request forgery. Throws
/// <see cref="Errors.BadRequestException"/> <c>url-not-allowed</c>, <see cref="Errors.UnprocessableException"/> <c>fetch-failed</c>, or
/// <see cref="ObjectTooLargeException"/> past the size limit.
/// </summary>
public interface ISafeFetcher
{
    Task<StoredObject> FetchToStorageAsync(Uri url, string key, long maxBytes, IObjectStorage storage, CancellationToken cancellationToken);

    /// <summary>
    /// A conditional GET: with <paramref name="validators"/> from an earlier fetch the server may answer 304, and nothing is
    /// stored (<see cref="FetchResult.NotModified"/>); otherwise the body is stored under <paramref name="key"/> with the response's validators.
    /// </summary>
    Task<FetchResult> FetchAsync(Uri url, string key, long maxBytes, IObjectStorage storage, CacheValidators? validators, CancellationToken cancellationToken);
}

/// <summary>What an HTTP cache revalidates with: the response's <c>ETag</c> and <c>Last-Modified</c>.</summary>
public sealed record CacheValidators(string? ETag, DateTimeOffset? LastModified);

/// <summary>A fetch's outcome: stored (with the validators for next time), or not modified since the validators sent.</summary>
public sealed record FetchResult(StoredObject? Stored, bool NotModified, CacheValidators Validators);
