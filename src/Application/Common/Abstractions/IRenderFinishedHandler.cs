using System.Text.Json;
using RenderOwl.Domain.Common;

namespace RenderOwl.Application.Common.Abstractions;

/// <summary>A render reached a final status. Handlers run in the same transaction as the status change.</summary>
public sealed record RenderFinished(RenderId RenderId, ProjectId ProjectId, UserId OwnerId, string Status, string? ErrorCode, string? WebhookUrl, JsonElement Render, DateTimeOffset At);

/// <summary>Completion effects (in-app notification, webhook outbox), implemented by their modules.</summary>
public interface IRenderFinishedHandler
{
    Task HandleAsync(RenderFinished finished, CancellationToken cancellationToken);
}
