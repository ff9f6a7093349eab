using System.Text.Json;

namespace RenderOwl.Application.Common.Json;

public static class JsonElements
{
    /// <summary>A stored JSON text as an element that outlives its document (parsed, cloned, the pooled document returned).</summary>
    public static JsonElement Parse(string json)
    {
        using var document = JsonDocument.Parse(json);
        return document.RootElement.Clone();
    }
}
