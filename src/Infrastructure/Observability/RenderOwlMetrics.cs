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
    public static readonly Counter<long> RendersFinished = Meter.CreateCounter<long>("renderowl.renders.finished", description: "Attempts recorded, by outcome (succeeded, failed, retried, canceled, released)");
    public static readonly Histogram<double> RenderDuration = Meter.CreateHistogram<double>("renderowl.render.duration", unit: "s", description: "Engine run time of an attempt, by format and outcome");
    public static readonly Histogram<double> RenderWait = Meter.CreateHistogram<double>("renderowl.render.wait", unit: "s", description: "Time from queued to claimed");
    public static readonly Counter<long> CacheRequests = Meter.CreateCounter<long>("renderowl.cache.requests", description: "Read-cache lookups by policy (short, medium, long), level (any, l1, l2) and result (hit, miss, error)");

    private static volatile IReadOnlyList<(string Status, string Priority, long Count)> s_queue = [];

    static RenderOwlMetrics()
    {
        Meter.CreateObservableGauge("renderowl.queue.renders", () => s_queue.Select(q =>
            new Measurement<long>(q.Count, new KeyValuePair<string, object?>("status", q.Status), new KeyValuePair<string, object?>("priority", q.Priority))),
            description: "Renders queued or running, by priority (sampled every few seconds)");
    }

    internal static void SetQueue(IReadOnlyList<(string Status, string Priority, long Count)> sample) => s_queue = sample;
}

/// <summary>Samples the render queue for <c>renderowl.queue.renders</c> (two partial-index counts every <c>Metrics:QueueSampleSeconds</c>).</summary>
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
                    await using (var reader = await command.ExecuteReaderProfiledAsync(databases.Profiler, DataSources.PrimaryName, stoppingToken))
                    {
                        while (await reader.ReadAsync(stoppingToken))
                        {
                            var priority = reader.GetInt16(1) is var p && p >= 0 && p < Priorities.Length ? Priorities[p] : p.ToString(System.Globalization.CultureInfo.InvariantCulture);
                            counts[(reader.GetString(0).ToLowerInvariant(), priority)] = reader.GetInt64(2);
                        }
                    }
                    // Every series is present, zeros included, so a drained queue reads 0 rather than vanishing.
                    RenderOwlMetrics.SetQueue([.. from status in new[] { "queued", "rendering" } from priority in Priorities
                                                  select (status, priority, counts.GetValueOrDefault((status, priority)))]);
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
