using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Options;
using RenderOwl.Domain.Rendering;
using RenderOwl.Infrastructure.Persistence;
using RenderOwl.Infrastructure.Storage;

namespace RenderOwl.Infrastructure.Health;

/// <summary>The streaming replica: reachable, in recovery, and its replay lag (degraded, never unhealthy: reads fall back to the primary).</summary>
public sealed class ReplicaHealthCheck(ReplicaMonitor replica, IOptions<ReadReplicaOptions> options) : IHealthCheck
{
    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        if (!replica.Exists)
        {
            return HealthCheckResult.Degraded("no replica configured; every read goes to the primary");
        }
        await replica.ProbeAsync(cancellationToken);
        var data = new Dictionary<string, object> { ["routing_enabled"] = replica.Configured, ["max_lag_seconds"] = options.Value.MaxLagSeconds };
        if (replica.LagSeconds is not { } lag)
        {
            return HealthCheckResult.Degraded("replica unreachable; reads go to the primary", data: data);
        }
        data["lag_seconds"] = Math.Round(lag, 3);
        return lag <= options.Value.MaxLagSeconds
            ? HealthCheckResult.Healthy($"replay lag {lag:0.000} s", data)
            : HealthCheckResult.Degraded($"replay lag {lag:0.000} s is over {options.Value.MaxLagSeconds} s; reads go to the primary", data: data);
    }
}

/// <summary>The render queue: due renders, running renders, and how long the oldest due render has waited.</summary>
public sealed class QueueHealthCheck(AppDbContext db, TimeProvider clock, IOptions<HealthOptions> options) : IHealthCheck
{
    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        var now = clock.GetUtcNow();
        var queued = db.Renders.AsNoTracking().Where(r => r.Status == RenderStatus.Queued && r.NextAttemptAt <= now);
        var due = await queued.CountAsync(cancellationToken);
        var oldest = await queued.OrderBy(r => r.QueuedAt).Select(r => (DateTimeOffset?)r.QueuedAt).FirstOrDefaultAsync(cancellationToken);
        var running = await db.Renders.CountAsync(r => r.Status == RenderStatus.Rendering, cancellationToken);
        var waited = oldest is { } at ? Math.Max(0, (now - at).TotalSeconds) : 0;
        var data = new Dictionary<string, object> { ["due"] = due, ["running"] = running, ["oldest_wait_seconds"] = Math.Round(waited, 1) };
        return waited > options.Value.QueueMaxWaitSeconds
            ? HealthCheckResult.Degraded($"the oldest due render has waited {waited:0} s (more than {options.Value.QueueMaxWaitSeconds:0} s): too few workers?", data: data)
            : HealthCheckResult.Healthy($"{due} due, {running} running", data);
    }
}

/// <summary>Free space on the volume that holds assets and render outputs.</summary>
public sealed class DiskHealthCheck(LocalObjectStorage storage, IOptions<HealthOptions> options) : IHealthCheck
{
    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        var drive = new DriveInfo(storage.Root);
        var free = (double)drive.AvailableFreeSpace / drive.TotalSize;
        var data = new Dictionary<string, object> { ["free_bytes"] = drive.AvailableFreeSpace, ["total_bytes"] = drive.TotalSize, ["free_ratio"] = Math.Round(free, 4) };
        var min = options.Value.DiskMinFreeRatio;
        var description = $"{free:P1} free of {drive.TotalSize / (1024.0 * 1024 * 1024):0.0} GiB";
        return Task.FromResult(free < min / 10 ? HealthCheckResult.Unhealthy(description, data: data)
            : free < min ? HealthCheckResult.Degraded(description, data: data)
            : HealthCheckResult.Healthy(description, data));
    }
}

/// <summary>The process's memory against what the runtime may use (container limit or machine memory).</summary>
public sealed class MemoryHealthCheck(IOptions<HealthOptions> options) : IHealthCheck
{
    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        var info = GC.GetGCMemoryInfo();
        var available = info.TotalAvailableMemoryBytes;
        var used = Environment.WorkingSet;
        var ratio = available > 0 ? (double)used / available : 0;
        var data = new Dictionary<string, object>
        {
            ["working_set_bytes"] = used,
            ["gc_heap_bytes"] = GC.GetTotalMemory(false),
            ["available_bytes"] = available,
            ["used_ratio"] = Math.Round(ratio, 4),
        };
        var description = $"{used / (1024.0 * 1024):0} MiB of {available / (1024.0 * 1024):0} MiB";
        return Task.FromResult(ratio > options.Value.MemoryMaxUsedRatio ? HealthCheckResult.Degraded(description, data: data) : HealthCheckResult.Healthy(description, data));
    }
}

/// <summary>The query profiler's verdict: the share of this instance's commands over the slow threshold (&lt; 5 % healthy, &lt; 10 % degraded).</summary>
public sealed class QueryProfilerHealthCheck(Application.Common.Abstractions.IQueryProfiler profiler) : IHealthCheck
{
    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        var (health, slowPercentage, calls) = profiler.Health();
        var data = new Dictionary<string, object> { ["slow_percentage"] = slowPercentage, ["calls"] = calls };
        var description = $"{slowPercentage:0.##} % of {calls} commands were slow";
        return Task.FromResult(health switch
        {
            "healthy" => HealthCheckResult.Healthy(description, data),
            "degraded" => HealthCheckResult.Degraded(description, data: data),
            _ => HealthCheckResult.Unhealthy(description, data: data),
        });
    }
}
