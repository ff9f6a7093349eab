using System.Text.Json;
using RenderOwl.Application.Common.Json;
using RenderOwl.Domain.Common;

namespace RenderOwl.Application.Webhooks;

/// <summary>The body every attempt of a delivery sends, byte for byte: <c>{"id": "evt_…", "type", "created_at", "data": {…}}</c>.</summary>
public static class WebhookPayload
{
    public static string Body(EventId id, string type, DateTimeOffset createdAt, string dataJson)
        => $"{{\"id\":\"{id}\",\"type\":{JsonSerializer.Serialize(type)},\"created_at\":{JsonSerializer.Serialize(createdAt, ApiJson.Options)},\"data\":{dataJson}}}";

    /// <summary>The render a render event is about (<c>data.render.id</c>), if any.</summary>
    public static RenderId? RenderOf(string dataJson)
    {
        using var doc = JsonDocument.Parse(dataJson);
        return doc.RootElement.TryGetProperty("render", out var render) && render.TryGetProperty("id", out var id)
            && TypedId.TryParse<RenderId>(id.GetString(), out var renderId) ? renderId : null;
    }
}
