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

public sealed class RenderUsageReader(IAppDbContext db, TimeProvider clock) : IRenderUsage
{
    public async Task<RenderUsage> ForAsync(UserId owner, CancellationToken cancellationToken)
    {
        var since = clock.GetUtcNow().AddHours(-1);
        // One round trip: the same window the renders/hour quota uses, and the open renders by status.
        var counts = await db.Renders.Where(r => r.OwnerId == owner)
            .GroupBy(_ => 1)
            .Select(g => new
            {
                LastHour = g.Count(r => r.CreatedAt > since && r.Counted),
                Running = g.Count(r => r.Status == RenderStatus.Rendering),
                Queued = g.Count(r => r.Status == RenderStatus.Queued),
            })
            .FirstOrDefaultAsync(cancellationToken);
        return counts is null ? new RenderUsage(0, 0, 0) : new RenderUsage(counts.LastHour, counts.Running, counts.Queued);
    }
}
