using RenderOwl.Domain.Common;

namespace RenderOwl.Domain.Analytics;

/// <summary>
/// One event of an account: sent by the client (<c>POST /v1/analytics/events</c>) or recorded by RenderOwl (a render's
/// lifecycle). Append-only; kept in monthly partitions of <c>analytics.events</c> that are dropped whole past retention.
/// </summary>
public sealed class AnalyticsEvent
{
    private AnalyticsEvent()
    {
        Name = string.Empty;
        PropertiesJson = "{}";
    }

    public Guid Id { get; private set; }
    public UserId OwnerId { get; private set; }
    public ProjectId? ProjectId { get; private set; }
    public string Name { get; private set; }
    public DateTimeOffset OccurredAt { get; private set; }
    public DateTimeOffset ReceivedAt { get; private set; }
    public string PropertiesJson { get; private set; }

    public static AnalyticsEvent Create(UserId ownerId, ProjectId? projectId, string name, DateTimeOffset occurredAt, string propertiesJson, DateTimeOffset now)
        => new()
        {
            Id = Guid.CreateVersion7(now),
            OwnerId = ownerId,
            ProjectId = projectId,
            Name = name,
            OccurredAt = Clock.ToStoragePrecision(occurredAt),
            ReceivedAt = Clock.ToStoragePrecision(now),
            PropertiesJson = propertiesJson,
        };
}
