namespace RenderOwl.Application.Common.Abstractions;

/// <summary>
/// Fetches a URL given by a client, guarded against server-side request forgery. Throws
/// <see cref="Errors.AppException"/> with <c>url-not-allowed</c> or <c>fetch-failed</c>, or
/// <see cref="ObjectTooLargeException"/> past the size limit.
/// </summary>
public interface ISafeFetcher
{
    Task<StoredObject> FetchToStorageAsync(Uri url, string key, long maxBytes, IObjectStorage storage, CancellationToken cancellationToken);
}

/// <summary>
/// Where webhooks may go: http(s), no credentials, and — unless <c>Webhooks:AllowPrivateTargets</c> — no
/// private, loopback or link-local address, checked when a URL is given and again at each delivery.
/// Throws <see cref="Errors.AppException"/> <c>url-not-allowed</c>.
/// </summary>
public interface IWebhookTargets
{
    Task EnsureAllowedAsync(string url, string field, CancellationToken cancellationToken);
}
