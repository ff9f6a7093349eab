using Microsoft.AspNetCore.Mvc;
using RenderOwl.Application.Common.Pagination;
using RenderOwl.Application.Notifications;
using RenderOwl.Domain.Common;

namespace RenderOwl.Api.Controllers;

/// <summary>In-app notifications (a render finished, …), newest first.</summary>
[Route("v1/notifications")]
public sealed class NotificationsController : ApiControllerBase
{
    [HttpGet]
    [ProducesResponseType<Page<NotificationResponse>>(StatusCodes.Status200OK)]
    public async Task<Page<NotificationResponse>> List(
        [FromQuery] bool? unread, [FromQuery(Name = "page_size")] int? pageSize, [FromQuery] int? page, [FromQuery] string? cursor, CancellationToken ct)
        => await Sender.Send(new ListNotificationsQuery(PageOf(pageSize, page, cursor), unread), ct);

    [HttpPost("{notification_id}/read")]
    [ProducesResponseType<NotificationResponse>(StatusCodes.Status200OK)]
    public async Task<NotificationResponse> Read([FromRoute(Name = "notification_id")] NotificationId id, CancellationToken ct)
        => await Sender.Send(new MarkNotificationReadCommand(id), ct);

    [HttpPost("read-all")]
    [ProducesResponseType<MarkAllReadResponse>(StatusCodes.Status200OK)]
    public async Task<MarkAllReadResponse> ReadAll(CancellationToken ct)
        => await Sender.Send(new MarkAllNotificationsReadCommand(), ct);
}
