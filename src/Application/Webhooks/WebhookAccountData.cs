using Microsoft.EntityFrameworkCore;
using RenderOwl.Application.Common;
using RenderOwl.Application.Common.Abstractions;
using RenderOwl.Application.Common.Accounts;
using RenderOwl.Domain.Common;

namespace RenderOwl.Application.Webhooks;

/// <summary>The Webhooks module's part of an account's data: endpoints and deliveries (never a signing secret); on deletion also the outbox and secrets.</summary>
public sealed class WebhookAccountData(IAppDbContext db) : IAccountExportSource, IAccountErasure
{
    private const int Chunk = IRetentionPolicy.ChunkSize;

    public IEnumerable<ExportSection> Sections(UserId owner) =>
    [
        new(60, "webhooks.json", ExportLayout.Array, ct => AccountRows.Stream(db.WebhookEndpoints.AsNoTracking().Where(w => w.OwnerId == owner).OrderBy(w => w.Id), WebhookResponse.From, ct)),
        new(61, "webhook_deliveries.json", ExportLayout.Array, ct => AccountRows.Stream(db.WebhookDeliveries.AsNoTracking().Where(d => d.OwnerId == owner).OrderBy(d => d.Id)
            .Select(DeliveryResponse.Row), DeliveryResponse.From, ct)),
    ];

    public IEnumerable<ErasureStep> Steps(AccountScope account)
    {
        var owner = account.User;
        yield return new(30, "webhook_deliveries", ct => Chunks.DeleteChunkAsync(db.WebhookDeliveries.Where(d => d.OwnerId == owner), d => d.Id, d => d.CreatedAt, ct));
        yield return new(31, "webhook_outbox", ct => Chunks.DeleteChunkAsync(db.OutboxMessages.Where(m => m.OwnerId == owner), m => m.Id, m => m.CreatedAt, ct));
        yield return new(32, "webhook_endpoints", ct => Chunks.DeleteChunkAsync(db.WebhookEndpoints.Where(w => w.OwnerId == owner), w => w.Id, w => w.CreatedAt, ct));
        yield return new(33, "signing_secrets", ct => db.SigningSecrets.Where(s => s.OwnerId == owner).ExecuteDeleteAsync(ct));
    }
}
