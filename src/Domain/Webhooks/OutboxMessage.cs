using RenderOwl.Domain.Common;

namespace RenderOwl.Domain.Webhooks;

/// <summary>
/// An event to deliver, written in the same transaction as what caused it, so nothing is lost if the process
/// dies right after. A delivery job (webhooks issue) reads undispatched rows.
/// </summary>
public sealed class OutboxMessage
{
    private OutboxMessage()
    {
        Type = string.Empty;
        PayloadJson = "{}";
    }

    public EventId Id { get; private set; }
    public UserId OwnerId { get; private set; }
    public ProjectId? ProjectId { get; private set; }
    public string Type { get; private set; }
    /// <summary>The render's own webhook_url, if it had one (project endpoints are looked up at delivery).</summary>
    public string? TargetUrl { get; private set; }
    public string PayloadJson { get; private set; }
    public DateTimeOffset CreatedAt { get; private set; }
    public DateTimeOffset? DispatchedAt { get; private set; }

    public static OutboxMessage Create(UserId ownerId, ProjectId? projectId, string type, string? targetUrl, string payloadJson, DateTimeOffset now)
    {
        now = Clock.ToStoragePrecision(now);
        return new OutboxMessage { Id = TypedId.New<EventId>(now), OwnerId = ownerId, ProjectId = projectId, Type = type, TargetUrl = targetUrl, PayloadJson = payloadJson, CreatedAt = now };
    }

    public void MarkDispatched(DateTimeOffset now) => DispatchedAt ??= Clock.ToStoragePrecision(now);
}
