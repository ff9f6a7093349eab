using Mediator;
using Microsoft.EntityFrameworkCore;
using RenderOwl.Application.Common.Abstractions;
using RenderOwl.Application.Common.Errors;
using RenderOwl.Domain.Common;

namespace RenderOwl.Application.Notifications;

public sealed record MarkNotificationReadCommand(NotificationId Id) : ITransactionalCommand<NotificationResponse>;

public sealed class MarkNotificationReadHandler(IAppDbContext db, ICurrentUser current, TimeProvider clock)
    : ICommandHandler<MarkNotificationReadCommand, NotificationResponse>
{
    public async ValueTask<NotificationResponse> Handle(MarkNotificationReadCommand command, CancellationToken cancellationToken)
    {
        var user = current.Id;
        var notification = await db.Notifications.FirstOrDefaultAsync(n => n.Id == command.Id && n.UserId == user, cancellationToken)
            ?? throw new NotFoundException("notification");
        notification.MarkRead(clock.GetUtcNow()); // reading twice keeps the first read_at
        await db.SaveChangesAsync(cancellationToken);
        return NotificationResponse.From(notification);
    }
}
