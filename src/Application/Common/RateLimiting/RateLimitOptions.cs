using System.ComponentModel.DataAnnotations;

namespace RenderOwl.Application.Common.RateLimiting;

/// <summary>Request rate limits (<c>RateLimiting</c>); the per-tier buckets are in <c>Tiers</c>.</summary>

public sealed class RateLimitOptions
{
    public const string Section = "RateLimiting";
    public bool Enabled { get; set; } = true;
    /// <summary>Per IP address, for requests without credentials (register, login, probes excluded).</summary>
    public BucketSettings Anonymous { get; set; } = new() { RequestsPerMinute = 30, Burst = 10 };
    [Range(1, 1000)]
    public int FailedLoginLimit { get; set; } = 5;
    [Range(1, 1440)]
    public int FailedLoginWindowMinutes { get; set; } = 15;
}

public sealed class BucketSettings
{
    public int RequestsPerMinute { get; set; }
    public int Burst { get; set; }
}

/// <summary>A token bucket: holds up to <see cref="Capacity"/> tokens, refilled continuously at <see cref="RefillPerSecond"/>.</summary>
public sealed record BucketPolicy(string Name, int Capacity, double RefillPerSecond)
{
    public static BucketPolicy From(string name, int requestsPerMinute, int burst) => new(name, Math.Max(1, burst), Math.Max(1, requestsPerMinute) / 60.0);

    /// <summary>Seconds an empty bucket takes to fill: the window of the RateLimit-Policy header.</summary>
    public int WindowSeconds => (int)Math.Ceiling(Capacity / RefillPerSecond);
}

public sealed record RateLimitDecision(bool Allowed, int Remaining, TimeSpan RetryAfter, TimeSpan ResetAfter, bool Shared);

/// <summary>Token buckets shared by every instance (Redis), with a per-instance fallback while Redis is away.</summary>
public interface IRequestRateLimiter
{
    ValueTask<RateLimitDecision> AcquireAsync(string bucket, BucketPolicy policy);
}
