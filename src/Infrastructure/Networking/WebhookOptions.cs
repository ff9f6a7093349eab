namespace RenderOwl.Infrastructure.Networking;

public sealed class WebhookOptions
{
    public const string Section = "Webhooks";
    /// <summary>Development and tests only: let webhooks reach private and loopback addresses. Off by default.</summary>
    public bool AllowPrivateTargets { get; set; }
}
