using System.Collections.Concurrent;
using System.Globalization;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using RenderOwl.Application.Common.Abstractions;
using StackExchange.Redis;

namespace RenderOwl.Infrastructure.Caching;

/// <summary>
/// Reads per key, counted in memory and added every 10 s to an hourly sorted set in Redis shared by every instance
/// (<c>…reads:yyyyMMddHH</c>, kept two hours): the warm-up's list of the most-read keys of the last hour. A read
/// costs one dictionary increment; a flush is one pipelined batch of ZINCRBY. While Redis is away counts are kept
/// (up to a bound) and flushed later.
/// </summary>
public sealed class CacheReadLog(IConnectionMultiplexer redis, IOptions<CacheOptions> options, TimeProvider clock, ILogger<CacheReadLog> logger)
    : BackgroundService, ICacheReadLog
{
    private const int MaxPendingKeys = 100_000;
    private ConcurrentDictionary<string, int> _counts = new(StringComparer.Ordinal);

    public void Record(string key)
    {
        var counts = _counts;
        if (counts.Count < MaxPendingKeys || counts.ContainsKey(key))
        {
            counts.AddOrUpdate(key, 1, static (_, n) => n + 1);
        }
    }

    public async Task<IReadOnlyList<string>> MostReadAsync(int count, CancellationToken cancellationToken)
    {
        var now = clock.GetUtcNow();
        var db = redis.GetDatabase();
        var totals = new Dictionary<string, double>(StringComparer.Ordinal);
        foreach (var hour in new[] { now, now.AddHours(-1) })
        {
            foreach (var entry in await db.SortedSetRangeByRankWithScoresAsync(Bucket(hour), 0, count - 1, Order.Descending))
            {
                var key = (string)entry.Element!;
                totals[key] = totals.GetValueOrDefault(key) + entry.Score;
            }
        }
        return totals.OrderByDescending(t => t.Value).Take(count).Select(t => t.Key).ToList();
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(TimeSpan.FromSeconds(10));
        try
        {
            while (await timer.WaitForNextTickAsync(stoppingToken))
            {
                await FlushAsync();
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
        await FlushAsync();
    }

    public async Task FlushAsync()
    {
        if (_counts.IsEmpty || !redis.IsConnected)
        {
            return;
        }
        var counts = Interlocked.Exchange(ref _counts, new ConcurrentDictionary<string, int>(StringComparer.Ordinal));
        var bucket = Bucket(clock.GetUtcNow());
        try
        {
            var batch = redis.GetDatabase().CreateBatch();
            var writes = counts.Select(c => (Task)batch.SortedSetIncrementAsync(bucket, c.Key, c.Value)).ToList();
            writes.Add(batch.KeyExpireAsync(bucket, TimeSpan.FromHours(2)));
            batch.Execute();
            await Task.WhenAll(writes);
        }
        catch (Exception ex) when (ex is RedisException or TimeoutException)
        {
            logger.LogDebug(ex, "Could not flush {Count} cache read counts; kept for the next flush", counts.Count);
            foreach (var (key, n) in counts)
            {
                _counts.AddOrUpdate(key, n, (_, m) => m + n);
            }
        }
    }

    private RedisKey Bucket(DateTimeOffset at) => options.Value.KeyPrefix + "reads:" + at.UtcDateTime.ToString("yyyyMMddHH", CultureInfo.InvariantCulture);
}
