using System.Text.Json;
using Mediator;
using Microsoft.EntityFrameworkCore;
using RenderOwl.Application.Common.Abstractions;
using RenderOwl.Application.Common.Errors;
using RenderOwl.Application.Common.Pagination;
using RenderOwl.Domain.Common;
using RenderOwl.Domain.Notifications;

namespace RenderOwl.Application.Notifications;

public sealed record NotificationResponse(NotificationId Id, string Type, string Title, string? Body, JsonElement Data, bool Read, DateTimeOffset CreatedAt, DateTimeOffset? ReadAt)
{
    public static NotificationResponse From(Notification n)
    {
        using var data = JsonDocument.Parse(n.DataJson);
        return new NotificationResponse(n.Id, n.Type, n.Title, n.Body, data.RootElement.Clone(), n.ReadAt is not null, n.CreatedAt, n.ReadAt);
    }

    internal static readonly Keyset<Notification> Keyset = new(
        q => q.OrderByDescending(n => n.CreatedAt).ThenByDescending(n => n.Id),
        (createdAt, id) =>
        {
            var notificationId = new NotificationId(id);
            return n => EF.Functions.LessThan(ValueTuple.Create(n.CreatedAt, n.Id), ValueTuple.Create(createdAt, notificationId));
        });
}

/// <summary>The account's notifications, newest first; <c>unread</c> = true lists only those not read yet.</summary>
public sealed record ListNotificationsQuery(PageRequest Page, bool? Unread) : IQuery<Page<NotificationResponse>>;

public sealed class ListNotificationsHandler(IAppDbContext db, ICurrentUser current, Paginator paginator)
    : IQueryHandler<ListNotificationsQuery, Page<NotificationResponse>>
{
    public async ValueTask<Page<NotificationResponse>> Handle(ListNotificationsQuery query, CancellationToken cancellationToken)
    {
        var user = current.Id;
        var source = db.Notifications.AsNoTracking().Where(n => n.UserId == user);
        source = query.Unread switch
        {
            true => source.Where(n => n.ReadAt == null),
            false => source.Where(n => n.ReadAt != null),
            null => source,
        };
        var page = await paginator.PageAsync(source, query.Page, NotificationResponse.Keyset, n => n, n => (n.CreatedAt, n.Id.Value), cancellationToken);
        return new Page<NotificationResponse>(page.Items.Select(NotificationResponse.From).ToList(), page.Metadata);
    }
}

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
