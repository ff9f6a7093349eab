using System.Linq.Expressions;
using System.Text.Json;
using RenderOwl.Application.Common.Json;
using RenderOwl.Application.Common.Pagination;
using RenderOwl.Domain.Common;
using RenderOwl.Domain.Notifications;

namespace RenderOwl.Application.Notifications;

public sealed record NotificationResponse(NotificationId Id, string Type, string Title, string? Body, JsonElement Data, bool Read, DateTimeOffset CreatedAt, DateTimeOffset? ReadAt)
{
    /// <summary>The columns a response shows, selected in SQL by the list; <see cref="From(NotificationRow)"/> parses the data.</summary>
    internal static readonly Expression<Func<Notification, NotificationRow>> Row = n => new NotificationRow(n.Id, n.Type, n.Title, n.Body, n.DataJson, n.CreatedAt, n.ReadAt);

    public static NotificationResponse From(Notification n) => From(new NotificationRow(n.Id, n.Type, n.Title, n.Body, n.DataJson, n.CreatedAt, n.ReadAt));

    internal static NotificationResponse From(NotificationRow n)
        => new(n.Id, n.Type, n.Title, n.Body, JsonElements.Parse(n.DataJson), n.ReadAt is not null, n.CreatedAt, n.ReadAt);

    internal static readonly Keyset<Notification> Keyset = Keysets.NewestFirst<Notification, NotificationId>(n => n.CreatedAt, n => n.Id, NotificationId.From);
}

internal sealed record NotificationRow(NotificationId Id, string Type, string Title, string? Body, string DataJson, DateTimeOffset CreatedAt, DateTimeOffset? ReadAt);
