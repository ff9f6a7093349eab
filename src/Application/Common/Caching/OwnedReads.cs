using Microsoft.Extensions.DependencyInjection;
using RenderOwl.Application.Common.Abstractions;
using RenderOwl.Domain.Common;

namespace RenderOwl.Application.Common.Caching;

/// <summary>
/// A module's cached single reads of one kind of owned row: key and tag from the id, loaded on the primary
/// (<see cref="PrimaryLoad"/>), the owner kept beside the value for the handler to check; also the warm-up's loader.
/// </summary>
public abstract class OwnedReads<TId, T>(AppCache cache, IServiceScopeFactory scopes, CachePolicy policy) : ICacheWarmer
    where TId : struct, ITypedId<TId>
    where T : class
{
    public abstract string Kind { get; }

    protected abstract string KeyOf(TId id);

    /// <summary>The row as its response and owner, or null when there is none.</summary>
    protected abstract Task<Owned<T>?> LoadAsync(IAppDbContext db, TId id, CancellationToken cancellationToken);

    public ValueTask<Owned<T>?> FindAsync(TId id, CancellationToken cancellationToken)
    {
        var key = KeyOf(id);
        return cache.GetOrLoadAsync(policy, key, [key], ct => PrimaryLoad.RunAsync(scopes, (db, c) => LoadAsync(db, id, c), ct), cancellationToken);
    }

    public async Task<bool> WarmAsync(string id, CancellationToken cancellationToken)
        => Guid.TryParseExact(id, "N", out var guid) && await FindAsync(TId.From(guid), cancellationToken) is not null;
}
