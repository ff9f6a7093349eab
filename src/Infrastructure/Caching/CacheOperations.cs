using Microsoft.Extensions.DependencyInjection;
using Hangfire;
using Microsoft.Extensions.Options;
using RenderOwl.Application.Common.Abstractions;
using RenderOwl.Application.Common.Caching;
using StackExchange.Redis;
using ZiggyCreatures.Caching.Fusion;

namespace RenderOwl.Infrastructure.Caching;

internal sealed class CacheOperations(IServiceProvider services, CacheStatistics statistics, AppCache cache, IOptions<CacheOptions> options,
    IConnectionMultiplexer redis, IBackgroundJobClient jobs) : ICacheOperations
{
    public CacheStats Stats()
    {
        var policies = CachePolicies.All.ToDictionary(CachePolicies.Name, p =>
        {
            var c = statistics.For(CachePolicies.Name(p));
            return new CachePolicyStats(c.HitsNow, c.MissesNow, options.Value.For(p).TtlSeconds);
        });
        var all = CachePolicies.All.Select(p => statistics.For(CachePolicies.Name(p))).ToList();
        long hits = all.Sum(c => c.HitsNow), misses = all.Sum(c => c.MissesNow);
        return new CacheStats(hits, misses, hits + misses == 0 ? 0 : Math.Round((double)hits / (hits + misses), 4),
            new CacheLevelOneStats(statistics.L1Entries, all.Sum(c => c.L1HitsNow), all.Sum(c => c.L1MissesNow)),
            new CacheLevelTwoStats(all.Sum(c => c.L2HitsNow), all.Sum(c => c.L2MissesNow), all.Sum(c => c.L2ErrorsNow),
                redis.IsConnected && all.All(c => c.L2Available)),
            policies, statistics.Invalidations);
    }

    public async Task ClearAsync(string? tag, CancellationToken cancellationToken)
    {
        if (tag is not null)
        {
            await cache.InvalidateAsync([tag], cancellationToken);
            return;
        }
        foreach (var policy in CachePolicies.All)
        {
            // Not kept for fail-safe: a clear is asked for because the values are not to be trusted. FusionCache marks
            // the time of the clear in Redis and tells every instance through the backplane; older entries are gone.
            await services.GetRequiredKeyedService<IFusionCache>(CachePolicies.Name(policy)).ClearAsync(allowFailSafe: false, token: cancellationToken);
        }
        jobs.Enqueue<WarmCacheJob>(job => job.RunAsync(CancellationToken.None));
    }

    public void ResetStats() => statistics.Reset();
}
