using RenderOwl.Application.Common.Errors;
using RenderOwl.Domain.Rendering;

namespace RenderOwl.Application.Common.Abstractions;

/// <summary>
/// Layout problems of a resolved composition, found from the real layout (the text engine's measurements, the media's
/// probed sizes and durations) without rendering: <c>text_overflow</c>, <c>missing_glyphs</c>, <c>off_canvas</c>,
/// <c>hidden</c>, <c>media_shorter_than_layer</c>, <c>upscaled</c>, each on the field it concerns.
/// </summary>
public interface ILayoutInspector
{
    Task<IReadOnlyList<FieldError>> WarningsAsync(Composition resolved, OutputSettings output, IReadOnlyDictionary<Guid, OwnedAsset> assets, CancellationToken cancellationToken);
}

/// <summary>What a render of this composition is expected to take and weigh, from this installation's finished renders.</summary>
public interface IRenderEstimator
{
    Task<RenderEstimate> EstimateAsync(Composition resolved, OutputSettings output, CancellationToken cancellationToken);
}

public sealed record RenderEstimate(double RenderSeconds, long OutputBytes);
