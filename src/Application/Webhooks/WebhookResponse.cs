using System.Linq.Expressions;
using RenderOwl.Application.Common.Pagination;
using RenderOwl.Domain.Common;
using RenderOwl.Domain.Webhooks;

namespace RenderOwl.Application.Webhooks;

/// <summary>An endpoint as the API shows it: never its secret (that is shown once, at creation and rotation).</summary>
public sealed record WebhookResponse(WebhookId Id, ProjectId ProjectId, string Url, IReadOnlyList<string> Events, string? Description, bool Enabled,
    DateTimeOffset CreatedAt, DateTimeOffset UpdatedAt)
{
    public static readonly Expression<Func<WebhookEndpoint, WebhookResponse>> Projection =
        e => new WebhookResponse(e.Id, e.ProjectId, e.Url, e.Events, e.Description, e.Enabled, e.CreatedAt, e.UpdatedAt);

    private static readonly Func<WebhookEndpoint, WebhookResponse> Map = Projection.Compile();

    public static WebhookResponse From(WebhookEndpoint e) => Map(e);

    internal static readonly Keyset<WebhookEndpoint> Keyset = Keysets.NewestFirst<WebhookEndpoint, WebhookId>(e => e.CreatedAt, e => e.Id, WebhookId.From);
}

/// <summary>A new endpoint, with its secret: the only time the secret is shown.</summary>
public sealed record CreatedWebhookResponse(WebhookId Id, ProjectId ProjectId, string Url, IReadOnlyList<string> Events, string? Description, bool Enabled,
    string Secret, DateTimeOffset CreatedAt, DateTimeOffset UpdatedAt);

public sealed record SecretResponse(string Secret);

/// <summary>One delivery in the log.</summary>
public sealed record DeliveryResponse(DeliveryId Id, EventId EventId, string EventType, WebhookId? WebhookId, RenderId? RenderId, string Url, string Status,
    int Attempts, int? ResponseStatus, string? ResponseBody, long? DurationMs, DateTimeOffset? NextAttemptAt, DateTimeOffset CreatedAt, DateTimeOffset? DeliveredAt)
{
    internal static readonly Expression<Func<WebhookDelivery, DeliveryRow>> Row = d => new DeliveryRow(d.Id, d.EventId, d.EventType, d.EndpointId, d.RenderId, d.Url,
        d.Status, d.Attempts, d.ResponseStatus, d.ResponseBody, d.DurationMs, d.NextAttemptAt, d.CreatedAt, d.DeliveredAt);

    internal static DeliveryResponse From(DeliveryRow d) => new(d.Id, d.EventId, d.EventType, d.EndpointId, d.RenderId, d.Url,
        d.Status.ToString().ToLowerInvariant(), d.Attempts, d.ResponseStatus, d.ResponseBody, d.DurationMs, d.NextAttemptAt, d.CreatedAt, d.DeliveredAt);

    internal static readonly Keyset<WebhookDelivery> Keyset = Keysets.NewestFirst<WebhookDelivery, DeliveryId>(d => d.CreatedAt, d => d.Id, DeliveryId.From);
}

internal sealed record DeliveryRow(DeliveryId Id, EventId EventId, string EventType, WebhookId? EndpointId, RenderId? RenderId, string Url, DeliveryStatus Status,
    int Attempts, int? ResponseStatus, string? ResponseBody, long? DurationMs, DateTimeOffset? NextAttemptAt, DateTimeOffset CreatedAt, DateTimeOffset? DeliveredAt);
