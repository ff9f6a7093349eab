using Microsoft.EntityFrameworkCore;
using RenderOwl.Application.Common.Abstractions;
using RenderOwl.Domain.Common;

namespace RenderOwl.Application.Assets;

public sealed class AssetLookup(IAppDbContext db) : IAssetLookup
{
    public async Task<IReadOnlyDictionary<Guid, OwnedAsset>> FindOwnedAsync(IReadOnlyCollection<Guid> ids, UserId owner, CancellationToken cancellationToken)
    {
        var assetIds = ids.Select(i => new AssetId(i)).ToList();
        return await db.Assets.AsNoTracking().Where(a => assetIds.Contains(a.Id) && a.OwnerId == owner)
            .ToDictionaryAsync(a => a.Id.Value, a => new OwnedAsset(a.Id.Value, a.Kind.ToString().ToLowerInvariant(), a.StorageKey, a.ContentType, a.DurationSeconds, a.FontFamily, a.Width, a.Height, a.Sha256), cancellationToken);
    }

    public async Task<IReadOnlyDictionary<Guid, OwnedAsset>> FindAsync(IReadOnlyCollection<Guid> ids, CancellationToken cancellationToken)
    {
        var assetIds = ids.Select(i => new AssetId(i)).ToList();
        return await db.Assets.AsNoTracking().Where(a => assetIds.Contains(a.Id))
            .ToDictionaryAsync(a => a.Id.Value, a => new OwnedAsset(a.Id.Value, a.Kind.ToString().ToLowerInvariant(), a.StorageKey, a.ContentType, a.DurationSeconds, a.FontFamily), cancellationToken);
    }
}
