using System.ComponentModel.DataAnnotations;
using RenderOwl.Application.Common.Caching;

namespace RenderOwl.Infrastructure.Caching;

/// <summary>The read cache (<c>Cache</c>): one named policy per kind of read, Redis as the second level and the backplane.</summary>
public sealed class CacheOptions : IValidatableObject
{
    public const string Section = "Cache";

    /// <summary><c>Cache:Policies:short|medium|long</c>; a policy left out keeps its default.</summary>
    public Dictionary<string, CachePolicyOptions> Policies { get; set; } = new(StringComparer.OrdinalIgnoreCase);

    /// <summary>Serialized values larger than this are gzip-compressed in Redis.</summary>
    [Range(0, 1 << 20)]
    public int CompressAboveBytes { get; set; } = 1024;

    /// <summary>A Redis read that takes longer gives up to a stale value when there is one (fail-safe); the hard timeout gives up in any case.</summary>
    [Range(1, 10_000)]
    public int RedisSoftTimeoutMilliseconds { get; set; } = 100;

    [Range(1, 30_000)]
    public int RedisHardTimeoutMilliseconds { get; set; } = 1_000;

    /// <summary>After a Redis failure the second level and the backplane are skipped for this long, then tried again.</summary>
    [Range(1, 600)]
    public int CircuitBreakerSeconds { get; set; } = 5;

    /// <summary>Prefix of every key and backplane channel in Redis.</summary>
    [Required]
    public string KeyPrefix { get; set; } = "renderowl:cache:";

    /// <summary>How many of the last hour's most-read keys the warm-up loads.</summary>
    [Range(0, 100_000)]
    public int WarmUpKeys { get; set; } = 500;

    public CachePolicyOptions For(CachePolicy policy)
        => Policies.TryGetValue(CachePolicies.Name(policy), out var configured) ? configured : CachePolicyOptions.Default(policy);

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        foreach (var (name, policy) in Policies)
        {
            if (!CachePolicies.All.Any(p => CachePolicies.Name(p) == name.ToLowerInvariant()))
            {
                yield return new ValidationResult($"Cache:Policies:{name} is not a policy (short, medium, long).", [nameof(Policies)]);
            }
            if (policy.TtlSeconds < 1 || policy.FailSafeSeconds < 0 || policy.L1Size < 1)
            {
                yield return new ValidationResult($"Cache:Policies:{name} needs TtlSeconds ≥ 1, FailSafeSeconds ≥ 0 and L1Size ≥ 1.", [nameof(Policies)]);
            }
        }
        if (RedisHardTimeoutMilliseconds < RedisSoftTimeoutMilliseconds)
        {
            yield return new ValidationResult("Cache:RedisHardTimeoutMilliseconds must not be below the soft timeout.", [nameof(RedisHardTimeoutMilliseconds)]);
        }
    }
}

/// <summary>One policy: how long an entry lives, how long past that it may still be served while its source is failing, and how many entries the in-process level holds.</summary>
public sealed class CachePolicyOptions
{
    public int TtlSeconds { get; set; }
    public int FailSafeSeconds { get; set; }
    public int L1Size { get; set; }

    public static CachePolicyOptions Default(CachePolicy policy) => policy switch
    {
        CachePolicy.Short => new() { TtlSeconds = 300, FailSafeSeconds = 600, L1Size = 10_000 },
        CachePolicy.Medium => new() { TtlSeconds = 600, FailSafeSeconds = 3_600, L1Size = 50_000 },
        _ => new() { TtlSeconds = 3_600, FailSafeSeconds = 21_600, L1Size = 50_000 },
    };
}
