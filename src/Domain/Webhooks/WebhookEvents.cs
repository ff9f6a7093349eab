namespace RenderOwl.Domain.Webhooks;

/// <summary>The event types a webhook can carry.</summary>
public static class WebhookEvents
{
    public const string RenderSucceeded = "render.succeeded";
    public const string RenderFailed = "render.failed";
    public const string RenderCanceled = "render.canceled";
    /// <summary>Sent on request (<c>POST /v1/webhooks/{id}/test</c>), to that endpoint only.</summary>
    public const string Test = "webhook.test";

    /// <summary>What an endpoint may subscribe to (all of them when it names none).</summary>
    public static readonly IReadOnlyList<string> Subscribable = [RenderSucceeded, RenderFailed, RenderCanceled];
}
