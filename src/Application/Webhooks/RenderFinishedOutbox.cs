using System.Text.Json;
using RenderOwl.Application.Common.Abstractions;
using RenderOwl.Domain.Webhooks;

namespace RenderOwl.Application.Webhooks;

/// <summary>A finished render queues a <c>render.&lt;status&gt;</c> event in the outbox (same transaction as the status change).</summary>
public sealed class RenderFinishedOutbox(IAppDbContext db) : IRenderFinishedHandler
{
    public Task HandleAsync(RenderFinished finished, CancellationToken cancellationToken)
    {
        var payload = JsonSerializer.Serialize(new { render = finished.Render });
        db.OutboxMessages.Add(OutboxMessage.Create(finished.OwnerId, finished.ProjectId, "render." + finished.Status, finished.WebhookUrl, payload, finished.At));
        return Task.CompletedTask;
    }
}
