using Microsoft.Extensions.Options;
using RenderOwl.Application.Common;
using RenderOwl.Application.Common.Abstractions;

namespace RenderOwl.Application.Operations.Monitoring;

/// <summary>
/// The metrics history goes a whole day at a time: a daily partition is dropped once all of it is older than the
/// table's retention (so rows live that long and at most a day more). Nothing is deleted row by row.
/// </summary>
public abstract class MonitoringRetention(IMonitoringStore store, MonitoringTable table) : IRetentionPolicy
{
    public abstract string Name { get; }

    protected abstract int Days { get; }

    public async Task<int> ApplyAsync(DateTimeOffset now, CancellationToken cancellationToken)
        => (int)(await store.DropPartitionsBeforeAsync(table, now.AddDays(-Days), onlyEmpty: false, cancellationToken)).Rows;
}

public sealed class QueueMetricsRetention(IMonitoringStore store, IOptions<RetentionOptions> options) : MonitoringRetention(store, MonitoringTable.QueueMetrics)
{
    public override string Name => "queue_metrics";
    protected override int Days => options.Value.QueueMetricsDays;
}

public sealed class ApiMetricsRetention(IMonitoringStore store, IOptions<RetentionOptions> options) : MonitoringRetention(store, MonitoringTable.ApiMetrics)
{
    public override string Name => "api_metrics";
    protected override int Days => options.Value.ApiMetricsDays;
}

public sealed class CacheMetricsRetention(IMonitoringStore store, IOptions<RetentionOptions> options) : MonitoringRetention(store, MonitoringTable.CacheMetrics)
{
    public override string Name => "cache_metrics";
    protected override int Days => options.Value.CacheMetricsDays;
}

/// <summary>
/// Resolved errors older than <see cref="RetentionOptions.ResolvedErrorsDays"/>, in chunks; an unresolved error stays
/// whatever its age. Then each day's partition past the cut that nothing is left in is dropped.
/// </summary>
public sealed class ResolvedErrorRetention(IAppDbContext db, IMonitoringStore store, IOptions<RetentionOptions> options) : IRetentionPolicy
{
    public string Name => "error_logs";

    public async Task<int> ApplyAsync(DateTimeOffset now, CancellationToken cancellationToken)
    {
        var cutoff = now.AddDays(-options.Value.ResolvedErrorsDays);
        var removed = await Chunks.DeleteOldestAsync(db.ErrorLogs.Where(e => e.Resolved && e.OccurredAt < cutoff), e => e.OccurredAt, cancellationToken);
        await store.DropPartitionsBeforeAsync(MonitoringTable.ErrorLogs, cutoff, onlyEmpty: true, cancellationToken);
        return removed;
    }
}
