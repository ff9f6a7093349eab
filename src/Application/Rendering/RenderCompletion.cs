using System.Text.Json;
using RenderOwl.Application.Common.Abstractions;
using RenderOwl.Application.Common.Json;
using RenderOwl.Domain.Rendering;

namespace RenderOwl.Application.Rendering;

/// <summary>The final-status effects, in the caller's transaction: history line, then every completion handler.</summary>
public sealed class RenderCompletion(IAppDbContext db, IEnumerable<IRenderFinishedHandler> handlers)
{
    public async Task RecordFinishedAsync(Render render, DateTimeOffset now, string? message, CancellationToken cancellationToken)
    {
        db.RenderEvents.Add(RenderEvent.For(render, now, message ?? render.ErrorMessage));
        var snapshot = JsonSerializer.SerializeToElement(RenderResponse.From(render), ApiJson.Options);
        var finished = new RenderFinished(render.Id, render.ProjectId, render.OwnerId, render.Status.ToString().ToLowerInvariant(), render.ErrorCode, render.WebhookUrl, snapshot, now);
        foreach (var handler in handlers)
        {
            await handler.HandleAsync(finished, cancellationToken);
        }
    }
}
