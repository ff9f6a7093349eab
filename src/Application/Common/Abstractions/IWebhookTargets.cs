namespace RenderOwl.Application.Common.Abstractions;

/// <summary>
/// Where webhooks may go: http(s), no credentials, and — unless <c>Webhooks:AllowPrivateTargets</c> — no
/// private, loopback or link-local address, checked when a URL is given and again at each delivery.
/// Throws <see cref="Errors.BadRequestException"/> <c>url-not-allowed</c>.
/// </summary>
public interface IWebhookTargets
{
    Task EnsureAllowedAsync(string url, string field, CancellationToken cancellationToken);
}
