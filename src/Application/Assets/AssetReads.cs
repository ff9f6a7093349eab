using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using RenderOwl.Application.Common.Abstractions;
using RenderOwl.Application.Common.Caching;
using RenderOwl.Domain.Common;

namespace RenderOwl.Application.Assets;

/// <summary>Asset metadata by id with its owner, cached (long policy: an asset does not change; a deletion drops it).</summary>
public sealed class AssetReads(AppCache cache, IServiceScopeFactory scopes) : ICacheWarmer
{
    public string Kind => CacheKeys.AssetKind;

    public async Task<bool> WarmAsync(string id, CancellationToken cancellationToken)
        => Guid.TryParseExact(id, "N", out var guid) && await FindAsync(new AssetId(guid), cancellationToken) is not null;

    public ValueTask<Owned<AssetResponse>?> FindAsync(AssetId id, CancellationToken cancellationToken)
    {
        var key = CacheKeys.Asset(id);
        return cache.GetOrLoadAsync(CachePolicy.Long, key, [key], ct => PrimaryLoad.RunAsync(scopes, async (db, c) =>
            await db.Assets.AsNoTracking().Where(a => a.Id == id).Select(a => new { a.OwnerId, a })
                .FirstOrDefaultAsync(c) is { } row ? new Owned<AssetResponse>(AssetResponse.From(row.a), row.OwnerId) : null, ct), cancellationToken);
    }
}
