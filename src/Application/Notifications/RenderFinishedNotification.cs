using System.Text.Json;
using RenderOwl.Application.Common.Abstractions;
using RenderOwl.Domain.Notifications;

namespace RenderOwl.Application.Notifications;

/// <summary>A finished render leaves an in-app notification for its owner (same transaction as the status change).</summary>
public sealed class RenderFinishedNotification(IAppDbContext db) : IRenderFinishedHandler
{
    public Task HandleAsync(RenderFinished finished, CancellationToken cancellationToken)
    {
        var title = finished.Status switch
        {
            "succeeded" => "Your render is ready",
            "failed" => "Your render failed",
            _ => "Your render was canceled",
        };
        var data = JsonSerializer.Serialize(new Dictionary<string, string?>
        {
            ["render_id"] = finished.RenderId.ToString(),
            ["project_id"] = finished.ProjectId.ToString(),
            ["status"] = finished.Status,
            ["error_code"] = finished.ErrorCode,
        });
        db.Notifications.Add(Notification.Create(finished.OwnerId, "render." + finished.Status, title, null, data, finished.At));
        return Task.CompletedTask;
    }
}
