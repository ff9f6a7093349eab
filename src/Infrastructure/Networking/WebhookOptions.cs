namespace RenderOwl.Infrastructure.Networking;

public sealed class WebhookOptions
{
    public const string Section = "Webhooks";
    /// <summary>Development and tests only: let webhooks reach private and loopback addresses. Off by default.</summary>
    public bool AllowPrivateTargets { get; set; }
    /// <summary>Whether this worker runs the outbox relay (fan-out of finished renders' events). Every worker does by default;
    /// they share the work. Off: it still renders and runs delivery attempts.</summary>
    public bool Relay { get; set; } = true;
}
