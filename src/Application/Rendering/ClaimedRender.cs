using System.Text.Json;
using RenderOwl.Application.Common.Json;
using RenderOwl.Domain.Common;
using RenderOwl.Domain.Rendering;

namespace RenderOwl.Application.Rendering;

/// <summary>The work of one claimed render, resolved for the engine.</summary>
public sealed record ClaimedRender(RenderId Id, Composition Composition, OutputSettings Output, bool Watermark, IReadOnlyList<Guid> AssetIds, double Duration)
{
    public static ClaimedRender From(Render render)
    {
        using var doc = JsonDocument.Parse(render.CompositionJson);
        var composition = doc.RootElement.Deserialize<Composition>(ApiJson.Options)!;
        return new ClaimedRender(render.Id, composition, render.Settings, render.Watermark, render.AssetIds, composition.Seconds);
    }
}
