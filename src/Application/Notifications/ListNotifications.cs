using Mediator;
using Microsoft.EntityFrameworkCore;
using RenderOwl.Application.Common.Abstractions;
using RenderOwl.Application.Common.Pagination;

namespace RenderOwl.Application.Notifications;

/// <summary>The account's notifications, newest first; <c>unread</c> = true lists only those not read yet.</summary>
public sealed record ListNotificationsQuery(PageRequest Page, bool? Unread) : IQuery<Page<NotificationResponse>>, IPagedQuery;

public sealed class ListNotificationsValidator : PagedQueryValidator<ListNotificationsQuery>;

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
        var page = await paginator.PageAsync(source, query.Page, NotificationResponse.Keyset, NotificationResponse.Row, n => (n.CreatedAt, n.Id.Value), cancellationToken);
        return page.Map(NotificationResponse.From);
    }
}
