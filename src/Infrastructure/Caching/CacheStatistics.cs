using System.Collections.Concurrent;
using Microsoft.Extensions.Caching.Memory;
using RenderOwl.Application.Common.Caching;
using RenderOwl.Infrastructure.Observability;
using ZiggyCreatures.Caching.Fusion;

namespace RenderOwl.Infrastructure.Caching;

/// <summary>
/// Hits, misses and errors of this instance per policy and level, from FusionCache's events (run synchronously:
/// they are two interlocked adds), for <c>GET /internal/cache/stats</c>; the same go to the
/// <c>renderowl.cache.requests</c> counter for Prometheus, which a reset does not touch. Only RenderOwl's own keys
/// count: FusionCache's internal tag and clear markers are lookups too, and would drown the figures.
/// </summary>
public sealed class CacheStatistics
{
    public sealed class Counters
    {
        internal long Hits, Misses, L1Hits, L1Misses, L2Hits, L2Misses, L2Errors;
        internal volatile bool L2BreakerClosed = true;

        public long HitsNow => Interlocked.Read(ref Hits);
        public long MissesNow => Interlocked.Read(ref Misses);
        public long L1HitsNow => Interlocked.Read(ref L1Hits);
        public long L1MissesNow => Interlocked.Read(ref L1Misses);
        public long L2HitsNow => Interlocked.Read(ref L2Hits);
        public long L2MissesNow => Interlocked.Read(ref L2Misses);
        public long L2ErrorsNow => Interlocked.Read(ref L2Errors);
        public bool L2Available => L2BreakerClosed;
    }

    private readonly ConcurrentDictionary<string, Counters> _policies = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, IMemoryCache> _memory = new(StringComparer.Ordinal);
    private long _invalidations;

    public long Invalidations => Interlocked.Read(ref _invalidations);

    public Counters For(string policy) => _policies.GetOrAdd(policy, _ => new Counters());

    public long L1Entries => _memory.Values.Sum(m => (m as MemoryCache)?.Count ?? 0);

    public void Attach(string policy, IFusionCache cache, IMemoryCache memory)
    {
        var counters = For(policy);
        _memory[policy] = memory;
        var prefix = policy + ":";
        bool Ours(string key) => CacheKeys.IsOwn(key, prefix); // no substring: this runs on every cache event
        cache.Events.Hit += (_, e) => Count(e.Key, ref counters.Hits, "any", "hit");
        cache.Events.Miss += (_, e) => Count(e.Key, ref counters.Misses, "any", "miss");
        cache.Events.Memory.Hit += (_, e) => Count(e.Key, ref counters.L1Hits, "l1", "hit");
        cache.Events.Memory.Miss += (_, e) => Count(e.Key, ref counters.L1Misses, "l1", "miss");
        cache.Events.Distributed.Hit += (_, e) => Count(e.Key, ref counters.L2Hits, "l2", "hit");
        cache.Events.Distributed.Miss += (_, e) => Count(e.Key, ref counters.L2Misses, "l2", "miss");
        cache.Events.Distributed.CircuitBreakerChange += (_, e) => counters.L2BreakerClosed = e.IsClosed;
        cache.Events.RemoveByTag += (_, _) => Interlocked.Increment(ref _invalidations);
        cache.Events.Clear += (_, _) => Interlocked.Increment(ref _invalidations);

        void Count(string key, ref long counter, string level, string result)
        {
            if (!Ours(key))
            {
                return;
            }
            Interlocked.Increment(ref counter);
            RenderOwlMetrics.CacheRequests.Add(1, new("policy", policy), new("level", level), new("result", result));
        }
    }

    public void RecordL2Error(string policy)
    {
        Interlocked.Increment(ref For(policy).L2Errors);
        RenderOwlMetrics.CacheRequests.Add(1, new("policy", policy), new("level", "l2"), new("result", "error"));
    }

    public void Reset()
    {
        foreach (var counters in _policies.Values)
        {
            Interlocked.Exchange(ref counters.Hits, 0);
            Interlocked.Exchange(ref counters.Misses, 0);
            Interlocked.Exchange(ref counters.L1Hits, 0);
            Interlocked.Exchange(ref counters.L1Misses, 0);
            Interlocked.Exchange(ref counters.L2Hits, 0);
            Interlocked.Exchange(ref counters.L2Misses, 0);
            Interlocked.Exchange(ref counters.L2Errors, 0);
        }
        Interlocked.Exchange(ref _invalidations, 0);
    }
}
