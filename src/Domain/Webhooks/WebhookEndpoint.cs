using RenderOwl.Domain.Common;

namespace RenderOwl.Domain.Webhooks;

/// <summary>A project's webhook endpoint: where its render events go, signed with its own secret.</summary>
public sealed class WebhookEndpoint
{
    public const int UrlMaxLength = 2048;
    public const int DescriptionMaxLength = 500;
    /// <summary>An endpoint that has not succeeded for this long, with deliveries failing throughout, is disabled.</summary>
    public static readonly TimeSpan DisableAfter = TimeSpan.FromDays(3);

    private WebhookEndpoint()
    {
        Url = string.Empty;
        Events = [];
        Secret = null!;
    }

    public WebhookId Id { get; private set; }
    public ProjectId ProjectId { get; private set; }
    public UserId OwnerId { get; private set; }
    public string Url { get; private set; }
    public List<string> Events { get; private set; }
    public string? Description { get; private set; }
    public bool Enabled { get; private set; }
    public WebhookSecret Secret { get; private set; }
    /// <summary>Since when every attempt to it has failed (null while it succeeds).</summary>
    public DateTimeOffset? FailingSince { get; private set; }
    public DateTimeOffset CreatedAt { get; private set; }
    public DateTimeOffset UpdatedAt { get; private set; }

    public static WebhookEndpoint Create(ProjectId projectId, UserId ownerId, string url, IEnumerable<string>? events, string? description, string encryptedSecret, DateTimeOffset now)
    {
        now = Clock.ToStoragePrecision(now);
        return new WebhookEndpoint
        {
            Id = TypedId.New<WebhookId>(now),
            ProjectId = projectId,
            OwnerId = ownerId,
            Url = url,
            Events = Normalize(events),
            Description = description,
            Enabled = true,
            Secret = WebhookSecret.Of(encryptedSecret),
            CreatedAt = now,
            UpdatedAt = now,
        };
    }

    public bool Subscribes(string eventType) => Enabled && Events.Contains(eventType);

    public void Update(string? url, IEnumerable<string>? events, string? description, bool descriptionSet, bool? enabled, DateTimeOffset now)
    {
        Url = url ?? Url;
        Events = events is null ? Events : Normalize(events);
        Description = descriptionSet ? description : Description;
        if (enabled is { } on && on != Enabled)
        {
            Enabled = on;
            FailingSince = null; // re-enabled: a fresh start
        }
        UpdatedAt = Clock.ToStoragePrecision(now);
    }

    public void RotateSecret(string encryptedSecret, DateTimeOffset now)
    {
        Secret.Rotate(encryptedSecret, now);
        UpdatedAt = Clock.ToStoragePrecision(now);
    }

    public void DeliverySucceeded() => FailingSince = null;

    /// <summary>A delivery to it failed for good; true when that disabled it (failing for <see cref="DisableAfter"/>).</summary>
    public bool DeliveryFailed(DateTimeOffset since, DateTimeOffset now)
    {
        FailingSince ??= Clock.ToStoragePrecision(since);
        if (Enabled && now - FailingSince >= DisableAfter)
        {
            Enabled = false;
            UpdatedAt = Clock.ToStoragePrecision(now);
            return true;
        }
        return false;
    }

    private static List<string> Normalize(IEnumerable<string>? events)
        => events is null ? [.. WebhookEvents.Subscribable] : [.. WebhookEvents.Subscribable.Where(e => events.Contains(e))];
}
