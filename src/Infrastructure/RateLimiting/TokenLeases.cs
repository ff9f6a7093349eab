using System.Collections.Concurrent;
using RenderOwl.Application.Common.RateLimiting;

namespace RenderOwl.Infrastructure.RateLimiting;

/// <summary>
/// Tokens an instance took from a shared Redis bucket ahead of its requests (ADR 25), so that most requests of a large
/// budget are decided here without a round trip. Redis grants a lease only while the bucket stays at least half full
/// after it, so a client anywhere near its limit is decided token by token in Redis, as exactly as before; buckets
/// under <see cref="MinimumCapacity"/> tokens are never leased. A lease lives <see cref="Lifetime"/>; what is left of it
/// then goes back to the bucket with the next request, so the budget is not shrunk by leases that went unused.
/// </summary>
public sealed class TokenLeases(TimeProvider clock)
{
    public const int MinimumCapacity = 128;
    public static readonly TimeSpan Lifetime = TimeSpan.FromSeconds(1);
    private const int MaxLease = 64;
    private const int MaxBuckets = 100_000;

    private readonly ConcurrentDictionary<string, Lease> _leases = new(StringComparer.Ordinal);

    /// <summary>Tokens to ask for with a Redis decision of this policy: 0 (no lease) for small buckets.</summary>
    public static int SizeFor(BucketPolicy policy) => policy.Capacity >= MinimumCapacity ? Math.Min(MaxLease, policy.Capacity / 32) : 0;

    /// <summary>A token from this instance's live lease of <paramref name="bucket"/> for this policy, if it holds one.</summary>
    public bool TryTake(string bucket, BucketPolicy policy, out RateLimitDecision decision)
    {
        decision = default!;
        if (!_leases.TryGetValue(bucket, out var lease))
        {
            return false;
        }
        var now = clock.GetTimestamp();
        lock (lease)
        {
            if (lease.Tokens <= 0 || lease.Policy != policy || now >= lease.ExpiresAt)
            {
                return false;
            }
            lease.Tokens--;
            // What the client has left: the shared bucket after this lease was taken, plus the lease's unused tokens.
            var remaining = lease.SharedRemaining + lease.Tokens;
            decision = new RateLimitDecision(true, (int)Math.Floor(remaining), TimeSpan.Zero,
                TimeSpan.FromSeconds(Math.Max(0, policy.Capacity - remaining) / policy.RefillPerSecond), Shared: true);
            return true;
        }
    }

    /// <summary>Unused tokens of an expired (or other-policy) lease, removed here: they go back to the bucket.</summary>
    public int TakeLeftover(string bucket, BucketPolicy policy)
    {
        if (!_leases.TryGetValue(bucket, out var lease))
        {
            return 0;
        }
        var now = clock.GetTimestamp();
        lock (lease)
        {
            if (now < lease.ExpiresAt && lease.Policy == policy)
            {
                return 0; // live (and empty): a new grant adds to it
            }
            var leftover = lease.Tokens;
            lease.Tokens = 0;
            _leases.TryRemove(new KeyValuePair<string, Lease>(bucket, lease));
            return leftover;
        }
    }

    /// <summary>Tokens Redis granted: added to the live lease of the bucket, or a new one.</summary>
    public void Add(string bucket, BucketPolicy policy, int tokens, double sharedRemaining)
    {
        if (_leases.Count >= MaxBuckets)
        {
            _leases.Clear(); // bounded memory; the cleared tokens are lost until the buckets refill
        }
        var expires = clock.GetTimestamp() + (long)(Lifetime.TotalSeconds * clock.TimestampFrequency);
        while (true)
        {
            var lease = _leases.GetOrAdd(bucket, static (_, p) => new Lease(p), policy);
            lock (lease)
            {
                if (!_leases.TryGetValue(bucket, out var current) || !ReferenceEquals(current, lease))
                {
                    continue; // removed meanwhile: add to its successor
                }
                if (lease.Policy != policy)
                {
                    lease.Policy = policy;
                    lease.Tokens = 0;
                }
                lease.Tokens += tokens;
                lease.SharedRemaining = sharedRemaining;
                lease.ExpiresAt = expires;
                return;
            }
        }
    }

    public void Clear() => _leases.Clear();

    private sealed class Lease(BucketPolicy policy)
    {
        public BucketPolicy Policy = policy;
        public int Tokens;
        public double SharedRemaining;
        public long ExpiresAt;
    }
}
