using Microsoft.EntityFrameworkCore;
using RenderOwl.Application.Common.Abstractions;
using RenderOwl.Application.Common.Errors;
using RenderOwl.Domain.Common;
using RenderOwl.Domain.Webhooks;

namespace RenderOwl.Application.Webhooks;

internal static class OwnedWebhooks
{
    /// <summary>The caller's endpoint, tracked; 404 for none and for another account's alike.</summary>
    public static async Task<WebhookEndpoint> FindOwnedAsync(this IAppDbContext db, WebhookId id, UserId owner, CancellationToken cancellationToken)
        => await db.WebhookEndpoints.FirstOrDefaultAsync(e => e.Id == id && e.OwnerId == owner, cancellationToken) ?? throw new NotFoundException("webhook");
}
