using RenderOwl.Application.Common.Abstractions;
using RenderOwl.Domain.Common;
using RenderOwl.Domain.Notifications;

namespace RenderOwl.Application.Notifications;

/// <summary>In-app, and by e-mail after the commit for an account that opted in.</summary>
public sealed class AccountNotices(IAppDbContext db, IEmailJobs emails, AfterCommit afterCommit) : IAccountNotices
{
    public async Task NotifyAsync(UserId account, string type, string title, string? body, string dataJson, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var notification = Notification.Create(account, type, title, body, dataJson, now);
        db.Notifications.Add(notification);
        await afterCommit.RunAsync("e-mail the notice", _ =>
        {
            emails.Notice(account.Value, $"notice-{notification.Id}@renderowl", title, body ?? title);
            return Task.CompletedTask;
        }, cancellationToken);
    }
}
