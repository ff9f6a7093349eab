using System.Diagnostics.Metrics;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Npgsql;
using RenderOwl.Infrastructure.Persistence;

namespace RenderOwl.Infrastructure.Observability;

/// <summary>
/// RenderOwl's own metrics (meter <c>RenderOwl</c>), exported with the HTTP, Npgsql and runtime metrics at
/// <c>GET /metrics</c>: renders claimed and finished, engine run and queue wait times, cache hits, queue depth.
/// </summary>
public static class RenderOwlMetrics
{
    public const string MeterName = "RenderOwl";
    private static readonly Meter Meter = new(MeterName);

    public static readonly Counter<long> RendersClaimed = Meter.CreateCounter<long>("renderowl.renders.claimed", description: "Renders claimed by this worker");
    public static readonly Counter<long> RendersFinished = Meter.CreateCounter<long>("renderowl.renders.finished", description: "Attempts recorded, by outcome (succeeded, failed, failed_retryable, canceled, split, released)");
    public static readonly Histogram<double> RenderDuration = Meter.CreateHistogram<double>("renderowl.render.duration", unit: "s", description: "Engine run time of an attempt, by format and outcome");
    public static readonly Histogram<double> RenderWait = Meter.CreateHistogram<double>("renderowl.render.wait", unit: "s", description: "Time from queued to claimed");
    public static readonly Counter<long> CacheRequests = Meter.CreateCounter<long>("renderowl.cache.requests", description: "Read-cache lookups by policy (short, medium, long), level (any, l1, l2) and result (hit, miss, error)");

    public static readonly Counter<long> WebhookAttempts = Meter.CreateCounter<long>("renderowl.webhook.attempts", description: "Webhook delivery attempts by outcome (delivered: a 2xx answer; failed: anything else)");

    private static volatile IReadOnlyList<(string Status, string Priority, long Count)> s_queue = [];
    private static volatile IReadOnlyList<(string Priority, double Seconds)> s_oldest = [];
    private static long s_disabledEndpoints = -1;
    private static volatile IReadOnlyList<(string Check, double Value)> s_health = [];
    private static volatile HealthFigures? s_figures;
    private static Func<(double? LagSeconds, bool InUse)?>? s_replica;
    private static Func<bool>? s_rateLimitFallback;

    /// <summary>What the last health sample saw: readiness, and the disk and memory figures the checks measured.</summary>
    public sealed record HealthFigures(bool Ready, double? DiskFreeRatio, double? MemoryUsedRatio);

    static RenderOwlMetrics()
    {
        Meter.CreateObservableGauge("renderowl.queue.renders", () => s_queue.Select(q =>
            new Measurement<long>(q.Count, new KeyValuePair<string, object?>("status", q.Status), new KeyValuePair<string, object?>("priority", q.Priority))),
            description: "Renders queued or running, by priority (sampled every few seconds)");
        Meter.CreateObservableGauge("renderowl.queue.oldest_wait", () => s_oldest.Select(q =>
            new Measurement<double>(q.Seconds, new KeyValuePair<string, object?>("priority", q.Priority))),
            unit: "s", description: "How long the oldest queued render of each priority has waited (0 when none is queued)");
        Meter.CreateObservableGauge("renderowl.webhook.endpoints.disabled", () => Interlocked.Read(ref s_disabledEndpoints) is var n && n >= 0 ? [new Measurement<long>(n)] : Array.Empty<Measurement<long>>(),
            description: "Webhook endpoints disabled after failing for days (not those their owners turned off)");
        Meter.CreateObservableGauge("renderowl.health.status", () => s_health.Select(h => new Measurement<double>(h.Value, new KeyValuePair<string, object?>("check", h.Check))),
            description: "Each health check at the last sample: 1 healthy, 0.5 degraded, 0 unhealthy");
        Meter.CreateObservableGauge("renderowl.ready", () => s_figures is { } f ? [new Measurement<int>(f.Ready ? 1 : 0)] : Array.Empty<Measurement<int>>(),
            description: "1 when this instance would answer GET /ready with 200 at the last sample");
        Meter.CreateObservableGauge("renderowl.disk.free_ratio", () => s_figures?.DiskFreeRatio is { } d ? [new Measurement<double>(d)] : Array.Empty<Measurement<double>>(),
            description: "Free share of the disk that holds the storage root");
        Meter.CreateObservableGauge("renderowl.memory.used_ratio", () => s_figures?.MemoryUsedRatio is { } m ? [new Measurement<double>(m)] : Array.Empty<Measurement<double>>(),
            description: "The process's working set over the memory the runtime may use (container limit or machine memory)");
        Meter.CreateObservableGauge("renderowl.replica.lag", () => s_replica?.Invoke()?.LagSeconds is { } lag ? [new Measurement<double>(lag)] : Array.Empty<Measurement<double>>(),
            unit: "s", description: "Replay lag of the read replica at its last probe (absent when unreachable or not configured)");
        Meter.CreateObservableGauge("renderowl.replica.in_use", () => s_replica?.Invoke() is { } r ? [new Measurement<int>(r.InUse ? 1 : 0)] : Array.Empty<Measurement<int>>(),
            description: "1 while reads are routed to the replica, 0 while they fall back to the primary");
        Meter.CreateObservableGauge("renderowl.redis.fallback", () => s_rateLimitFallback is { } f ? [new Measurement<int>(f() ? 1 : 0, new KeyValuePair<string, object?>("component", "ratelimit"))] : Array.Empty<Measurement<int>>(),
            description: "1 while a component works without Redis (the rate limiter deciding locally)");
    }

    /// <summary>
    /// Counters start at zero with every label set an alert or panel reads, so a quiet instance exports 0 rather than
    /// nothing (rate() over a missing series is no data, not zero). Called once the metrics pipeline listens.
    /// </summary>
    public static void StartSeries()
    {
        foreach (var outcome in new[] { "succeeded", "failed", "failed_retryable", "canceled", "split", "released" })
        {
            RendersFinished.Add(0, new KeyValuePair<string, object?>("outcome", outcome));
        }
        RendersClaimed.Add(0);
        WebhookAttempts.Add(0, new KeyValuePair<string, object?>("outcome", "delivered"));
        WebhookAttempts.Add(0, new KeyValuePair<string, object?>("outcome", "failed"));
    }

    internal static void SetOldestWait(IReadOnlyList<(string Priority, double Seconds)> sample) => s_oldest = sample;

    internal static void SetDisabledEndpoints(long count) => Interlocked.Exchange(ref s_disabledEndpoints, count);

    public static void SetHealth(IReadOnlyList<(string Check, double Value)> checks, HealthFigures figures)
    {
        s_health = checks;
        s_figures = figures;
    }

    internal static void ObserveReplica(Func<(double? LagSeconds, bool InUse)?> replica) => s_replica = replica;

    internal static void ObserveRateLimitFallback(Func<bool> degraded) => s_rateLimitFallback = degraded;

    internal static void SetQueue(IReadOnlyList<(string Status, string Priority, long Count)> sample) => s_queue = sample;
}

/// <summary>
/// Samples, every <c>Metrics:QueueSampleSeconds</c>, the render queue for <c>renderowl.queue.renders</c> and
/// <c>renderowl.queue.oldest_wait</c>, and the webhook endpoints disabled for failing.
/// </summary>
public sealed class QueueMetricsSampler(DataSources databases, IConfiguration configuration, ILogger<QueueMetricsSampler> logger) : BackgroundService
{
    private static readonly string[] Priorities = ["low", "normal", "high", "urgent"];

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(TimeSpan.FromSeconds(configuration.GetValue("Metrics:QueueSampleSeconds", 5.0)));
        try
        {
            do
            {
                try
                {
                    await using var command = databases.Primary.CreateCommand(Rendering.RenderQueueSql.QueueCounts);
                    var counts = new Dictionary<(string, string), long>();
                    var oldest = new Dictionary<string, double>();
                    await using (var reader = await command.ExecuteReaderProfiledAsync(databases.Profiler, DataSources.PrimaryName, stoppingToken))
                    {
                        while (await reader.ReadAsync(stoppingToken))
                        {
                            var priority = reader.GetInt16(1) is var p && p >= 0 && p < Priorities.Length ? Priorities[p] : p.ToString(System.Globalization.CultureInfo.InvariantCulture);
                            var status = reader.GetString(0).ToLowerInvariant();
                            counts[(status, priority)] = reader.GetInt64(2);
                            if (status == "queued")
                            {
                                oldest[priority] = Math.Max(0, reader.GetDouble(3));
                            }
                        }
                    }
                    // Every series is present, zeros included, so a drained queue reads 0 rather than vanishing.
                    RenderOwlMetrics.SetQueue([.. from status in new[] { "queued", "rendering" } from priority in Priorities
                                                  select (status, priority, counts.GetValueOrDefault((status, priority)))]);
                    RenderOwlMetrics.SetOldestWait([.. Priorities.Select(p => (p, oldest.GetValueOrDefault(p)))]);
                    await using var endpoints = databases.Primary.CreateCommand(Rendering.RenderQueueSql.DisabledEndpoints);
                    RenderOwlMetrics.SetDisabledEndpoints((long)(await endpoints.ExecuteScalarAsync(stoppingToken))!);
                }
                catch (Exception ex) when (ex is NpgsqlException or TimeoutException)
                {
                    logger.LogDebug(ex, "Sampling the render queue failed");
                }
            }
            while (await timer.WaitForNextTickAsync(stoppingToken));
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
    }
}
