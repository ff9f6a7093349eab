using System.Collections.Concurrent;
using System.Diagnostics.Metrics;
using System.Globalization;
using Microsoft.Extensions.Logging;
using RenderOwl.Application.Common.RateLimiting;
using StackExchange.Redis;

namespace RenderOwl.Infrastructure.RateLimiting;

/// <summary>
/// Token buckets evaluated atomically in Redis (one round trip: a Lua script on Redis' own clock), so every API
/// instance draws from one budget. While Redis is unreachable each instance falls back to local buckets with
/// the same policy — logged once, counted in <c>renderowl.ratelimit.fallback</c> — and returns to Redis when
/// it answers again. Never fails the request. Large buckets are mostly decided from short leases of their tokens
/// (<see cref="TokenLeases"/>, ADR 25).
/// </summary>
public sealed class TokenBucketRateLimiter : IRequestRateLimiter
{
    private const string Script = """
        local capacity = tonumber(ARGV[1])
        local rate = tonumber(ARGV[2])
        local want = tonumber(ARGV[3])
        local back = tonumber(ARGV[4])
        local t = redis.call('TIME')
        local now = tonumber(t[1]) + tonumber(t[2]) / 1000000
        local state = redis.call('HMGET', KEYS[1], 'tokens', 'ts')
        local tokens = tonumber(state[1])
        local ts = tonumber(state[2])
        if tokens == nil or ts == nil then
          tokens = capacity
          ts = now
        end
        tokens = math.min(capacity, tokens + math.max(0, now - ts) * rate + back)
        local allowed = 0
        local granted = 0
        if tokens >= 1 then
          tokens = tokens - 1
          allowed = 1
          if want > 0 and tokens - want >= capacity / 2 then
            tokens = tokens - want
            granted = want
          end
        end
        redis.call('HSET', KEYS[1], 'tokens', tostring(tokens), 'ts', tostring(now))
        redis.call('EXPIRE', KEYS[1], math.ceil(capacity / rate) + 5)
        return { allowed, tostring(tokens), granted }
        """;

    public const string MeterName = "RenderOwl.RateLimiting";
    private static readonly Meter Meter = new(MeterName);
    private static readonly Counter<long> Fallbacks = Meter.CreateCounter<long>("renderowl.ratelimit.fallback", description: "Rate-limit decisions taken locally because Redis was unreachable");
    private static readonly Counter<long> Decisions = Meter.CreateCounter<long>("renderowl.ratelimit.decisions", description: "Rate-limit decisions by outcome");

    private readonly IConnectionMultiplexer _redis;
    private readonly ILogger<TokenBucketRateLimiter> _logger;
    private readonly TimeProvider _clock;
    private readonly ConcurrentDictionary<string, LocalBucket> _local = new(StringComparer.Ordinal);
    private readonly TokenLeases _leases;
    private int _degraded; // 1 while deciding locally

    public TokenBucketRateLimiter(IConnectionMultiplexer redis, ILogger<TokenBucketRateLimiter> logger, TimeProvider clock)
    {
        _redis = redis;
        _logger = logger;
        _clock = clock;
        _leases = new TokenLeases(clock);
        Observability.RenderOwlMetrics.ObserveRateLimitFallback(() => Volatile.Read(ref _degraded) == 1);
    }


    public async ValueTask<RateLimitDecision> AcquireAsync(string bucket, BucketPolicy policy)
    {
        RateLimitDecision decision;
        if (_redis.IsConnected)
        {
            var leaseSize = TokenLeases.SizeFor(policy);
            if (leaseSize > 0 && Volatile.Read(ref _degraded) == 0 && _leases.TryTake(bucket, policy, out decision))
            {
                Decisions.Add(1, new KeyValuePair<string, object?>("allowed", true));
                return decision;
            }
            var leftover = leaseSize > 0 ? _leases.TakeLeftover(bucket, policy) : 0;
            try
            {
                var result = (RedisResult[])(await _redis.GetDatabase().ScriptEvaluateAsync(
                    Script, [(RedisKey)("rl:" + bucket)], [policy.Capacity, policy.RefillPerSecond.ToString("R", CultureInfo.InvariantCulture), leaseSize, leftover]))!;
                var tokens = double.Parse((string)result[1]!, CultureInfo.InvariantCulture);
                if ((int)result[2] is var granted and > 0)
                {
                    _leases.Add(bucket, policy, granted, tokens);
                    tokens += granted; // the client's budget still holds them
                }
                decision = Decide((int)result[0] == 1, tokens, policy, shared: true);
                if (Interlocked.Exchange(ref _degraded, 0) == 1)
                {
                    _logger.LogInformation("Redis answers again: rate limits are shared across instances again");
                    _local.Clear();
                }
                Decisions.Add(1, new KeyValuePair<string, object?>("allowed", decision.Allowed));
                return decision;
            }
            catch (Exception ex) when (ex is RedisException or TimeoutException or ObjectDisposedException)
            {
                EnterDegraded(ex);
            }
        }
        else
        {
            EnterDegraded(null);
        }
        Fallbacks.Add(1);
        var local = _local.GetOrAdd(bucket, static (_, p) => new LocalBucket(p.Capacity), policy);
        decision = local.Take(policy, _clock.GetTimestamp(), _clock);
        Decisions.Add(1, new KeyValuePair<string, object?>("allowed", decision.Allowed));
        if (_local.Count > 100_000)
        {
            _local.Clear(); // bounded memory under an address-spraying flood; buckets refill anyway
        }
        return decision;
    }

    private void EnterDegraded(Exception? ex)
    {
        if (Interlocked.Exchange(ref _degraded, 1) == 0)
        {
            _leases.Clear(); // leases were taken from the shared buckets; locally the fallback buckets decide
            _logger.LogWarning(ex, "Redis is unreachable: rate limits are enforced per instance until it returns");
        }
    }

    private static RateLimitDecision Decide(bool allowed, double tokens, BucketPolicy policy, bool shared)
    {
        var retry = allowed ? TimeSpan.Zero : TimeSpan.FromSeconds((1 - tokens) / policy.RefillPerSecond);
        var reset = TimeSpan.FromSeconds((policy.Capacity - tokens) / policy.RefillPerSecond);
        return new RateLimitDecision(allowed, (int)Math.Floor(tokens), retry, reset, shared);
    }

    private sealed class LocalBucket(double tokens)
    {
        private readonly Lock _gate = new();
        private double _tokens = tokens;
        private long _stamp;

        public RateLimitDecision Take(BucketPolicy policy, long now, TimeProvider clock)
        {
            lock (_gate)
            {
                if (_stamp != 0)
                {
                    _tokens = Math.Min(policy.Capacity, _tokens + clock.GetElapsedTime(_stamp, now).TotalSeconds * policy.RefillPerSecond);
                }
                _stamp = now;
                var allowed = _tokens >= 1;
                if (allowed)
                {
                    _tokens -= 1;
                }
                return Decide(allowed, _tokens, policy, shared: false);
            }
        }
    }
}
