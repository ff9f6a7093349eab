namespace RenderOwl.Application.Common.Abstractions;

public sealed record CacheLevelOneStats(long Entries, long Hits, long Misses);

public sealed record CacheLevelTwoStats(long Hits, long Misses, long Errors, bool Available);

public sealed record CachePolicyStats(long Hits, long Misses, int TtlSeconds);

/// <summary>This instance's cache figures since start or the last reset: hits and misses overall, per level and per policy.</summary>
public sealed record CacheStats(long Hits, long Misses, double HitRatio, CacheLevelOneStats L1, CacheLevelTwoStats L2,
    IReadOnlyDictionary<string, CachePolicyStats> Policies, long Invalidations);

/// <summary>The read cache's operations for operators: figures, clearing (everything or one tag, on every instance), resetting the figures.</summary>
public interface ICacheOperations
{
    CacheStats Stats();

    /// <summary>Empties every policy on every instance (memory and Redis), or drops one tag's entries; then asks for a warm-up.</summary>
    Task ClearAsync(string? tag, CancellationToken cancellationToken);

    void ResetStats();
}
