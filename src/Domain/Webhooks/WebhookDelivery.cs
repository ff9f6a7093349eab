using RenderOwl.Domain.Common;

namespace RenderOwl.Domain.Webhooks;

public enum DeliveryStatus
{
    Pending,
    Retrying,
    Succeeded,
    Failed,
}

/// <summary>
/// One event on its way to one URL: the render's own <c>webhook_url</c> (signed with the account's secret) or a
/// project endpoint (signed with its secret). Every attempt carries the same event id (<c>webhook-id</c>).
/// </summary>
public sealed class WebhookDelivery
{
    public const int MaxAttempts = 8;
    public const int ResponseBodyMax = 2048;
    /// <summary>An attempt in flight holds the delivery this long; a worker that died mid-attempt lets it go again.</summary>
    public static readonly TimeSpan AttemptLease = TimeSpan.FromSeconds(60);

    private WebhookDelivery()
    {
        EventType = string.Empty;
        Url = string.Empty;
        PayloadJson = "{}";
    }

    public DeliveryId Id { get; private set; }
    public EventId EventId { get; private set; }
    public string EventType { get; private set; }
    public UserId OwnerId { get; private set; }
    public ProjectId? ProjectId { get; private set; }
    public RenderId? RenderId { get; private set; }
    /// <summary>The endpoint it goes to; null for a render's own <c>webhook_url</c>.</summary>
    public WebhookId? EndpointId { get; private set; }
    public string Url { get; private set; }
    /// <summary>The exact body every attempt sends.</summary>
    public string PayloadJson { get; private set; }
    public DeliveryStatus Status { get; private set; }
    public int Attempts { get; private set; }
    public int? ResponseStatus { get; private set; }
    public string? ResponseBody { get; private set; }
    public long? DurationMs { get; private set; }
    public DateTimeOffset? NextAttemptAt { get; private set; }
    public DateTimeOffset CreatedAt { get; private set; }
    public DateTimeOffset? DeliveredAt { get; private set; }
    /// <summary>One more attempt was asked for by hand (redeliver), whatever the attempts so far.</summary>
    public bool Redelivering { get; private set; }

    public static WebhookDelivery Create(EventId eventId, string eventType, UserId ownerId, ProjectId? projectId, RenderId? renderId, WebhookId? endpointId,
        string url, string payloadJson, DateTimeOffset now)
    {
        now = Clock.ToStoragePrecision(now);
        return new WebhookDelivery
        {
            Id = TypedId.New<DeliveryId>(now),
            EventId = eventId,
            EventType = eventType,
            OwnerId = ownerId,
            ProjectId = projectId,
            RenderId = renderId,
            EndpointId = endpointId,
            Url = url,
            PayloadJson = payloadJson,
            Status = DeliveryStatus.Pending,
            NextAttemptAt = now,
            CreatedAt = now,
        };
    }

    public bool IsFinal => Status is DeliveryStatus.Succeeded or DeliveryStatus.Failed;

    /// <summary>Whether an attempt may start now: due, not final (or redelivering), not held by another attempt.</summary>
    public bool IsDue(DateTimeOffset now) => (!IsFinal || Redelivering) && NextAttemptAt is { } at && at <= now;

    /// <summary>An attempt starts: counted, and the delivery held for <see cref="AttemptLease"/>.</summary>
    public void BeginAttempt(DateTimeOffset now)
    {
        Attempts++;
        NextAttemptAt = Clock.ToStoragePrecision(now + AttemptLease);
    }

    public void Succeed(int status, string? body, long durationMs, DateTimeOffset now)
    {
        Record(status, body, durationMs);
        Status = DeliveryStatus.Succeeded;
        DeliveredAt = Clock.ToStoragePrecision(now);
        NextAttemptAt = null;
        Redelivering = false;
    }

    /// <summary>An attempt failed; retried at <paramref name="retryAt"/> while attempts are left (null: no more). True when that was the last.</summary>
    public bool Fail(int? status, string? body, long durationMs, DateTimeOffset? retryAt)
    {
        Record(status, body, durationMs);
        var last = Redelivering || retryAt is null || Attempts >= MaxAttempts;
        Redelivering = false;
        Status = last ? (Status == DeliveryStatus.Succeeded ? DeliveryStatus.Succeeded : DeliveryStatus.Failed) : DeliveryStatus.Retrying;
        NextAttemptAt = last ? null : Clock.ToStoragePrecision(retryAt!.Value);
        return last;
    }

    /// <summary>One more attempt now (same event id, a new signature), whatever happened before.</summary>
    public void Redeliver(DateTimeOffset now)
    {
        Redelivering = true;
        NextAttemptAt = Clock.ToStoragePrecision(now);
    }

    private void Record(int? status, string? body, long durationMs)
    {
        ResponseStatus = status;
        ResponseBody = body is null ? null : body.Length > ResponseBodyMax ? body[..ResponseBodyMax] : body;
        DurationMs = durationMs;
    }
}
