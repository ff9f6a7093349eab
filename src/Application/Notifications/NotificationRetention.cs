using Microsoft.Extensions.Options;
using RenderOwl.Application.Common;
using RenderOwl.Application.Common.Abstractions;

namespace RenderOwl.Application.Notifications;

/// <summary>Notifications older than <see cref="RetentionOptions.NotificationsDays"/>, read or not.</summary>
public sealed class NotificationRetention(IAppDbContext db, IOptions<RetentionOptions> options) : IRetentionPolicy
{
    public string Name => "notifications";

    public Task<int> ApplyAsync(DateTimeOffset now, CancellationToken cancellationToken)
    {
        var cutoff = now.AddDays(-options.Value.NotificationsDays);
        return Chunks.DeleteOldestAsync(db.Notifications.Where(n => n.CreatedAt < cutoff), n => n.CreatedAt, cancellationToken);
    }
}
