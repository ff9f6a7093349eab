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
}
