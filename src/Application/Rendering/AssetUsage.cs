using Microsoft.EntityFrameworkCore;
using RenderOwl.Application.Common.Abstractions;
using RenderOwl.Domain.Common;
using RenderOwl.Domain.Rendering;

namespace RenderOwl.Application.Rendering;

public sealed class AssetUsage(IAppDbContext db) : IAssetUsage
{
    public Task<bool> IsInUseAsync(AssetId assetId, CancellationToken cancellationToken)
    {
        var id = assetId.Value;
        return db.Renders.AnyAsync(r => (r.Status == RenderStatus.Queued || r.Status == RenderStatus.Rendering) && r.AssetIds.Contains(id), cancellationToken);
    }
}
