using RenderOwl.Domain.Operations;

namespace RenderOwl.Application.Common.Abstractions;

/// <summary>One queue's figures at one minute (<c>operations.queue_metrics</c>).</summary>
public sealed record QueueMetricRow(string Queue, int Depth, int InFlight, int? FailedLastHour, int? SucceededLastHour, double? MeanWaitMs, double? MeanRunMs,
    double? WaitP50Ms = null, double? WaitP95Ms = null, double? RunP50Ms = null, double? RunP95Ms = null);

/// <summary>One route's requests over one period of this instance (<c>operations.api_metrics</c>).</summary>
public sealed record ApiMetricRow(DateTimeOffset RecordedAt, string Route, int PeriodSeconds, long Requests, long Errors, double P50Ms, double P95Ms, double P99Ms, double MaxMs);

/// <summary>This instance's cache over one period (<c>operations.cache_metrics</c>): counts are for the period, entries as it ended.</summary>
public sealed record CacheMetricRow(DateTimeOffset RecordedAt, int PeriodSeconds, long Hits, long Misses, long L1Entries, long L1Hits, long L1Misses,
    long L2Hits, long L2Misses, long L2Errors, long Invalidations);

/// <summary>The operational history tables, partitioned by day: written every minute, kept by retention.</summary>
public interface IMonitoringStore
{
    Task WriteQueueMetricsAsync(DateTimeOffset recordedAt, IReadOnlyList<QueueMetricRow> rows, CancellationToken cancellationToken);

    Task WriteApiMetricsAsync(string instance, IReadOnlyList<ApiMetricRow> rows, CancellationToken cancellationToken);

    Task WriteCacheMetricsAsync(string instance, CacheMetricRow row, CancellationToken cancellationToken);

    /// <summary>Daily partitions of every history table from <paramref name="firstDay"/> for <paramref name="days"/> days; returns those made.</summary>
    Task<IReadOnlyList<string>> EnsurePartitionsAsync(DateOnly firstDay, int days, CancellationToken cancellationToken);

    /// <summary>Drops <paramref name="table"/>'s daily partitions wholly before <paramref name="before"/> (only empty ones when <paramref name="onlyEmpty"/>); returns how many rows went with them.</summary>
    Task<(IReadOnlyList<string> Dropped, long Rows)> DropPartitionsBeforeAsync(MonitoringTable table, DateTimeOffset before, bool onlyEmpty, CancellationToken cancellationToken);
}

public enum MonitoringTable
{
    QueueMetrics,
    ApiMetrics,
    CacheMetrics,
    ErrorLogs,
}

/// <summary>
/// Where 5xx problems are handed in on the request path: never blocks, never throws. A writer stores them in batches
/// off the request (so a database outage, the usual cause of a 5xx, cannot slow or fail the answer).
/// </summary>
public interface IErrorLogQueue
{
    /// <summary>False when the queue is full and the entry was dropped (counted and logged by the writer).</summary>
    bool TryAdd(ErrorLog error);
}

/// <summary>This process's name in the history tables: host and process id.</summary>
public interface IInstanceName
{
    string Value { get; }
}
