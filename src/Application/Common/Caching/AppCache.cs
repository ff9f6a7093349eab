using Microsoft.Extensions.Caching.Hybrid;
using Microsoft.Extensions.DependencyInjection;
using RenderOwl.Application.Common.Abstractions;

namespace RenderOwl.Application.Common.Caching;

/// <summary>
/// The read cache the use cases see: one <see cref="HybridCache"/> per policy (FusionCache underneath: memory,
/// then Redis, then the loader, with one load per key at a time). A loader returns null for a row that does not
/// exist; that answer is cached too, so a missing id costs one query per TTL, not one per request.
/// </summary>
public sealed class AppCache(
    [FromKeyedServices(CachePolicies.Short)] HybridCache shortCache,
    [FromKeyedServices(CachePolicies.Medium)] HybridCache mediumCache,
    [FromKeyedServices(CachePolicies.Long)] HybridCache longCache,
    ICacheReadLog reads,
    Microsoft.Extensions.Options.IOptions<ReadCacheOptions> options)
{
    private readonly bool _enabled = options.Value.Enabled;
    private readonly IReadOnlySet<string> _bypassed = options.Value.BypassedKinds();

    private static readonly HybridCacheEntryOptions ReadOnly = new() { Flags = HybridCacheEntryFlags.DisableUnderlyingData };

    public ValueTask<T?> GetOrLoadAsync<T>(CachePolicy policy, string key, IEnumerable<string> tags,
        Func<CancellationToken, ValueTask<T?>> load, CancellationToken cancellationToken) where T : class
    {
        if (!Caches(key))
        {
            return load(cancellationToken);
        }
        reads.Record(key);
        return For(policy).GetOrCreateAsync(key, load, static (l, ct) => l(ct), options: null, tags, cancellationToken);
    }

    /// <summary>The cached value, or null when this policy holds none (nothing is loaded).</summary>
    public ValueTask<T?> PeekAsync<T>(CachePolicy policy, string key, CancellationToken cancellationToken) where T : class
    {
        if (!Caches(key))
        {
            return ValueTask.FromResult<T?>(null);
        }
        reads.Record(key);
        return For(policy).GetOrCreateAsync<T?>(key, static _ => ValueTask.FromResult<T?>(null), ReadOnly, tags: null, cancellationToken);
    }

    public ValueTask SetAsync<T>(CachePolicy policy, string key, T value, IEnumerable<string> tags, CancellationToken cancellationToken)
        => Caches(key) ? For(policy).SetAsync(key, value, options: null, tags, cancellationToken) : ValueTask.CompletedTask;

    /// <summary>Drops every entry carrying one of these tags, in the policies its kind lives in (<see cref="CacheKeys.PoliciesOf"/>), here and (through the backplane) on every other instance.</summary>
    public async ValueTask InvalidateAsync(IReadOnlyCollection<string> tags, CancellationToken cancellationToken)
    {
        if (tags.Count == 0)
        {
            return;
        }
        foreach (var policy in CachePolicies.All)
        {
            var here = tags.Where(t => CacheKeys.PoliciesOf(t).Contains(policy)).ToList();
            if (here.Count > 0)
            {
                await For(policy).RemoveByTagAsync(here, cancellationToken);
            }
        }
    }

    /// <summary>Whether reads of this key go through the cache (it is on, and the key's kind is not bypassed).</summary>
    public bool Caches(string key)
        => _enabled && (_bypassed.Count == 0 || !_bypassed.Contains(CacheKeys.TryParse(key, out var kind, out _) ? kind : ""));

    private HybridCache For(CachePolicy policy) => policy switch
    {
        CachePolicy.Short => shortCache,
        CachePolicy.Medium => mediumCache,
        _ => longCache,
    };
}
