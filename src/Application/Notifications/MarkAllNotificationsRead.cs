using Mediator;
using Microsoft.EntityFrameworkCore;
using RenderOwl.Application.Common.Abstractions;
using RenderOwl.Domain.Common;

namespace RenderOwl.Application.Notifications;

public sealed record MarkAllReadResponse(int Updated);

public sealed record MarkAllNotificationsReadCommand : ICommand<MarkAllReadResponse>;

public sealed class MarkAllNotificationsReadHandler(IAppDbContext db, ICurrentUser current, TimeProvider clock)
    : ICommandHandler<MarkAllNotificationsReadCommand, MarkAllReadResponse>
{
    public async ValueTask<MarkAllReadResponse> Handle(MarkAllNotificationsReadCommand command, CancellationToken cancellationToken)
    {
        var user = current.Id;
        var now = Clock.ToStoragePrecision(clock.GetUtcNow());
        // One statement over the partial index of unread notifications; the same rule as Notification.MarkRead.
        var updated = await db.Notifications.Where(n => n.UserId == user && n.ReadAt == null)
            .ExecuteUpdateAsync(s => s.SetProperty(n => n.ReadAt, now), cancellationToken);
        return new MarkAllReadResponse(updated);
    }
}
