using RenderOwl.Application.Common.Abstractions;
using RenderOwl.Domain.Common;
using RenderOwl.Domain.Notifications;

namespace RenderOwl.Application.Notifications;

public sealed class AccountNotices(IAppDbContext db) : IAccountNotices
{
    public Task NotifyAsync(UserId account, string type, string title, string? body, string dataJson, DateTimeOffset now, CancellationToken cancellationToken)
    {
        db.Notifications.Add(Notification.Create(account, type, title, body, dataJson, now));
        return Task.CompletedTask;
    }
}
