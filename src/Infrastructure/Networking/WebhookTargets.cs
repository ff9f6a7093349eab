using Microsoft.Extensions.Options;
using RenderOwl.Application.Common.Abstractions;
using RenderOwl.Application.Common.Errors;

namespace RenderOwl.Infrastructure.Networking;

/// <summary>
/// The SSRF rule of <see cref="SafeFetcher"/> applied to webhook URLs when a client gives one. A literal
/// address is judged as it is; a name is resolved (bounded by a short timeout) and every address it gives must
/// be public. A name that does not resolve now is accepted: delivery resolves it again and applies the same rule.
/// </summary>
public sealed class WebhookTargets(IHostResolver resolver, IOptions<WebhookOptions> options) : IWebhookTargets
{
    private static readonly TimeSpan ResolveTimeout = TimeSpan.FromSeconds(2);

    public async Task EnsureAllowedAsync(string url, string field, CancellationToken cancellationToken)
    {
        if (!Uri.TryCreate(url, UriKind.Absolute, out var uri))
        {
            throw new BadRequestException(ErrorCatalog.UrlNotAllowed, $"'{field}' is not an absolute URL.");
        }
        using var limit = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        limit.CancelAfter(ResolveTimeout);
        System.Net.IPAddress[]? addresses;
        try
        {
            addresses = await SafeFetcher.ResolveAsync(uri, resolver, limit.Token);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            return; // DNS is slow now; delivery checks again
        }
        catch (AppException ex)
        {
            throw new BadRequestException(ErrorCatalog.UrlNotAllowed, $"'{field}': {ex.Message}");
        }
        if (addresses is null)
        {
            return;
        }
        try
        {
            SafeFetcher.EnsureAllowed(uri, addresses, options.Value.AllowPrivateTargets, []);
        }
        catch (AppException ex)
        {
            throw new BadRequestException(ErrorCatalog.UrlNotAllowed, $"'{field}': {ex.Message} Webhooks go to public addresses only.");
        }
    }
}
