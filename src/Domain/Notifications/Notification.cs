using RenderOwl.Domain.Common;

namespace RenderOwl.Domain.Notifications;

/// <summary>An in-app notification for one account.</summary>
public sealed class Notification
{
    private Notification()
    {
        Type = string.Empty;
        Title = string.Empty;
        DataJson = "{}";
    }

    public NotificationId Id { get; private set; }
    public UserId UserId { get; private set; }
    public string Type { get; private set; }
    public string Title { get; private set; }
    public string? Body { get; private set; }
    public string DataJson { get; private set; }
    public DateTimeOffset CreatedAt { get; private set; }
    public DateTimeOffset? ReadAt { get; private set; }

    public static Notification Create(UserId userId, string type, string title, string? body, string dataJson, DateTimeOffset now)
    {
        now = Clock.ToStoragePrecision(now);
        return new Notification { Id = TypedId.New<NotificationId>(now), UserId = userId, Type = type, Title = title, Body = body, DataJson = dataJson, CreatedAt = now };
    }

    public void MarkRead(DateTimeOffset now) => ReadAt ??= Clock.ToStoragePrecision(now);
}
