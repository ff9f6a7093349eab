namespace RenderOwl.Application.Common.Abstractions;

/// <summary>
/// Fetches a URL given by a client, guarded against server-side request forgery. Throws
/// <see cref="Errors.BadRequestException"/> <c>url-not-allowed</c>, <see cref="Errors.UnprocessableException"/> <c>fetch-failed</c>, or
/// <see cref="ObjectTooLargeException"/> past the size limit.
/// </summary>
public interface ISafeFetcher
{
    Task<StoredObject> FetchToStorageAsync(Uri url, string key, long maxBytes, IObjectStorage storage, CancellationToken cancellationToken);
}
