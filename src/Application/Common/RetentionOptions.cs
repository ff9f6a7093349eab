using System.ComponentModel.DataAnnotations;

namespace RenderOwl.Application.Common;

/// <summary>How long each kind of data is kept (<c>Retention:*</c>); the defaults are the seed's.</summary>
public sealed class RetentionOptions
{
    public const string Section = "Retention";

    [Range(1, 3650)]
    public int NotificationsDays { get; set; } = 90;

    [Range(1, 3650)]
    public int RateLimitViolationsDays { get; set; } = 30;

    /// <summary>Finished (succeeded or failed) webhook deliveries; pending and retrying ones are never deleted.</summary>
    [Range(1, 3650)]
    public int WebhookDeliveriesDays { get; set; } = 30;
}
