using System.ComponentModel.DataAnnotations;

namespace RenderOwl.Application.Common;

/// <summary>How long each kind of data is kept (<c>Retention:*</c>); the defaults are the seed's.</summary>
public sealed class RetentionOptions
{
    public const string Section = "Retention";

    [Range(1, 3650)]
    public int NotificationsDays { get; set; } = 90;

    /// <summary>Render output files; the render stays, its <c>output.status</c> becomes <c>expired</c>.</summary>
    [Range(1, 3650)]
    public int RenderOutputsDays { get; set; } = 30;

    /// <summary>Finished (succeeded, failed, canceled) renders, with their events and any output file left.</summary>
    [Range(1, 3650)]
    public int FinishedRendersDays { get; set; } = 180;

    /// <summary>The record of sent render e-mails that makes a retried e-mail job send once.</summary>
    [Range(1, 3650)]
    public int SentEmailsDays { get; set; } = 30;

    [Range(1, 3650)]
    public int RateLimitViolationsDays { get; set; } = 30;

    /// <summary>Finished (succeeded or failed) webhook deliveries; pending and retrying ones are never deleted.</summary>
    [Range(1, 3650)]
    public int WebhookDeliveriesDays { get; set; } = 30;

    /// <summary>Webhook outbox messages once dispatched (their deliveries carry the payload); undispatched ones are never deleted.</summary>
    [Range(1, 3650)]
    public int DispatchedOutboxDays { get; set; } = 7;

    /// <summary>Queue figures recorded every minute; whole days are dropped once older.</summary>
    [Range(1, 3650)]
    public int QueueMetricsDays { get; set; } = 7;

    /// <summary>Per-route request figures recorded every minute per instance.</summary>
    [Range(1, 3650)]
    public int ApiMetricsDays { get; set; } = 30;

    /// <summary>Cache hit and miss figures recorded every minute per instance.</summary>
    [Range(1, 3650)]
    public int CacheMetricsDays { get; set; } = 7;

    /// <summary>Server errors marked resolved; open ones are kept whatever their age.</summary>
    [Range(1, 3650)]
    public int ResolvedErrorsDays { get; set; } = 90;
}
