using System.Collections.Concurrent;
using Microsoft.Extensions.Options;
using RenderOwl.Application.Common.Abstractions;
using RenderOwl.Application.Common.RateLimiting;
using StackExchange.Redis;

namespace RenderOwl.Infrastructure.RateLimiting;

/// <summary>
/// Counts failed logins per (e-mail, IP address) in a fixed window (default 5 per 15 minutes). Shared through
/// Redis; per instance while Redis is away. The e-mail address is hashed: no address is stored in Redis.
/// </summary>
public sealed class LoginThrottle(IConnectionMultiplexer redis, IOptions<RateLimitOptions> options, TimeProvider clock) : ILoginThrottle
{
    private readonly RateLimitOptions _options = options.Value;
    private readonly ConcurrentDictionary<string, (int Count, DateTimeOffset Expires)> _local = new(StringComparer.Ordinal);

    private TimeSpan Window => TimeSpan.FromMinutes(_options.FailedLoginWindowMinutes);

    private static string Key(string email, string ip)
        => "loginfail:" + Common.Sha256Hex.Of(email + "\n" + ip)[..32];

    public async Task<TimeSpan?> BlockedForAsync(string email, string ipAddress, CancellationToken cancellationToken)
    {
        if (!_options.Enabled)
        {
            return null;
        }
        var key = Key(email, ipAddress);
        if (await TryRedisAsync(async db =>
            {
                var count = await db.StringGetAsync(key);
                if (count.HasValue && (long)count >= _options.FailedLoginLimit)
                {
                    return await db.KeyTimeToLiveAsync(key) ?? Window;
                }
                return (TimeSpan?)TimeSpan.Zero;
            }) is { } fromRedis)
        {
            return fromRedis == TimeSpan.Zero ? null : fromRedis;
        }
        var now = clock.GetUtcNow();
        return _local.TryGetValue(key, out var entry) && entry.Expires > now && entry.Count >= _options.FailedLoginLimit
            ? entry.Expires - now
            : null;
    }

    public async Task RecordFailureAsync(string email, string ipAddress, CancellationToken cancellationToken)
    {
        var key = Key(email, ipAddress);
        var done = await TryRedisAsync(async db =>
        {
            var count = await db.StringIncrementAsync(key);
            if (count == 1)
            {
                await db.KeyExpireAsync(key, Window);
            }
            return (TimeSpan?)TimeSpan.Zero;
        });
        if (done is null)
        {
            var now = clock.GetUtcNow();
            _local.AddOrUpdate(key, _ => (1, now + Window), (_, e) => e.Expires > now ? (e.Count + 1, e.Expires) : (1, now + Window));
        }
    }

    public async Task ResetAsync(string email, string ipAddress, CancellationToken cancellationToken)
    {
        var key = Key(email, ipAddress);
        _local.TryRemove(key, out _);
        await TryRedisAsync(async db =>
        {
            await db.KeyDeleteAsync(key);
            return (TimeSpan?)TimeSpan.Zero;
        });
    }

    /// <summary>Null when Redis could not be used.</summary>
    private async Task<TimeSpan?> TryRedisAsync(Func<IDatabase, Task<TimeSpan?>> action)
    {
        if (!redis.IsConnected)
        {
            return null;
        }
        try
        {
            return await action(redis.GetDatabase());
        }
        catch (Exception ex) when (ex is RedisException or TimeoutException)
        {
            return null;
        }
    }
}
