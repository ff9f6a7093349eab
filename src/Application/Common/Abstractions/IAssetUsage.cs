using RenderOwl.Domain.Common;

namespace RenderOwl.Application.Common.Abstractions;

/// <summary>Rendering, for the Assets module: is an asset used by a queued or running render?</summary>
public interface IAssetUsage
{
    Task<bool> IsInUseAsync(AssetId assetId, CancellationToken cancellationToken);
}
