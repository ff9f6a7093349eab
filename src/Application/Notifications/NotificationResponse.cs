using System.Text.Json;
using Microsoft.EntityFrameworkCore;
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
