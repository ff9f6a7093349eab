using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using RenderOwl.Application.Common.Abstractions;
using RenderOwl.Application.Common.Caching;
using RenderOwl.Domain.Common;

namespace RenderOwl.Application.Assets;

/// <summary>Asset metadata by id with its owner, cached (long policy: an asset does not change; a deletion drops it).</summary>
public sealed class AssetReads(AppCache cache, IServiceScopeFactory scopes)
    : OwnedReads<AssetId, AssetResponse>(cache, scopes, CachePolicy.Long)
{
    public override string Kind => CacheKeys.AssetKind;

    protected override string KeyOf(AssetId id) => CacheKeys.Asset(id);

    protected override async Task<Owned<AssetResponse>?> LoadAsync(IAppDbContext db, AssetId id, CancellationToken cancellationToken)
        => await db.Assets.AsNoTracking().Where(a => a.Id == id).Select(a => new { a.OwnerId, a })
            .FirstOrDefaultAsync(cancellationToken) is { } row ? new Owned<AssetResponse>(AssetResponse.From(row.a), row.OwnerId) : null;
}
