namespace RenderOwl.Application.Common.Caching;

/// <summary>
/// How long a cached read may live, as configured under <c>Cache:Policies:short|medium|long</c> (TTL, fail-safe
/// duration, in-process size). Each policy is a cache of its own, so a flood of one kind cannot evict the others.
/// </summary>
public enum CachePolicy
{
    /// <summary>Things that change often: a render while it runs.</summary>
    Short,
    /// <summary>Things changed by their owner now and then: accounts, API keys, projects, templates.</summary>
    Medium,
    /// <summary>Things that no longer change: a finished render, an asset's metadata.</summary>
    Long,
}

public static class CachePolicies
{
    public const string Short = "short";
    public const string Medium = "medium";
    public const string Long = "long";

    public static readonly IReadOnlyList<CachePolicy> All = [CachePolicy.Short, CachePolicy.Medium, CachePolicy.Long];

    public static string Name(CachePolicy policy) => policy switch
    {
        CachePolicy.Short => Short,
        CachePolicy.Medium => Medium,
        _ => Long,
    };
}
