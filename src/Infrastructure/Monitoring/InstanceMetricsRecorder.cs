using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using RenderOwl.Application.Common.Abstractions;

namespace RenderOwl.Infrastructure.Monitoring;

/// <summary>
/// On every instance, every <c>Monitoring:RecordSeconds</c> (60): this process's per-route figures of each whole period
/// the performance monitor closed since the last time (<c>operations.api_metrics</c>: requests, 5xx, p50/p95/p99/max) and
/// its cache hits and misses since the last time (<c>operations.cache_metrics</c>). Per instance because both live in
/// the process's memory; the queue figures, the same for every instance, are a recurring job's.
/// </summary>
public sealed partial class InstanceMetricsRecorder(IPerformanceMonitor monitor, ICacheOperations cache, IMonitoringStore store, IInstanceName instance,
    TimeProvider clock, IConfiguration configuration, ILogger<InstanceMetricsRecorder> logger) : BackgroundService
{
    private readonly SemaphoreSlim _gate = new(1, 1);
    private long _cursor = -1;
    private CacheStats? _last;
    private DateTimeOffset _lastAt = clock.GetUtcNow();

    /// <summary>Records what is due now; returns the route rows and cache rows written.</summary>
    public async Task<(int Routes, int Cache)> RecordAsync(CancellationToken cancellationToken)
    {
        await _gate.WaitAsync(cancellationToken);
        try
        {
            var cursor = _cursor;
            var routes = monitor.CompletedPeriods(ref cursor);
            await store.WriteApiMetricsAsync(instance.Value, routes, cancellationToken);
            _cursor = cursor;

            var now = clock.GetUtcNow();
            var stats = cache.Stats();
            var last = _last is { } l && l.Hits <= stats.Hits && l.Misses <= stats.Misses ? l : null; // a reset-stats in between: count from zero
            var row = new CacheMetricRow(now, (int)Math.Round((now - _lastAt).TotalSeconds),
                stats.Hits - (last?.Hits ?? 0), stats.Misses - (last?.Misses ?? 0), stats.L1.Entries,
                Math.Max(0, stats.L1.Hits - (last?.L1.Hits ?? 0)), Math.Max(0, stats.L1.Misses - (last?.L1.Misses ?? 0)),
                Math.Max(0, stats.L2.Hits - (last?.L2.Hits ?? 0)), Math.Max(0, stats.L2.Misses - (last?.L2.Misses ?? 0)),
                Math.Max(0, stats.L2.Errors - (last?.L2.Errors ?? 0)), Math.Max(0, stats.Invalidations - (last?.Invalidations ?? 0)));
            await store.WriteCacheMetricsAsync(instance.Value, row, cancellationToken);
            (_last, _lastAt) = (stats, now);
            return (routes.Count, 1);
        }
        finally
        {
            _gate.Release();
        }
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(TimeSpan.FromSeconds(configuration.GetValue("Monitoring:RecordSeconds", 60.0)), clock);
        try
        {
            while (await timer.WaitForNextTickAsync(stoppingToken))
            {
                try
                {
                    await RecordAsync(stoppingToken);
                }
                catch (Exception e) when (e is not OperationCanceledException)
                {
                    LogFailed(e.GetType().Name, e.Message); // the next tick takes what this one missed, while the window holds it
                }
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
    }

    [LoggerMessage(EventId = 7104, Level = LogLevel.Warning, Message = "Instance metrics not recorded this time: {Failure}: {Reason}")]
    private partial void LogFailed(string failure, string reason);
}
