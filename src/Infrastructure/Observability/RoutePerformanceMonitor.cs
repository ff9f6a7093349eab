using System.Collections.Concurrent;
using System.Diagnostics;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using RenderOwl.Application.Common.Abstractions;

namespace RenderOwl.Infrastructure.Observability;

/// <summary>
/// Per route template and method, a <see cref="LatencyWindow"/> of this instance's requests. Recording is lock-free
/// (a dictionary hit and a few interlocked adds); reading sums at most 15 histograms per route. A request over
/// <see cref="PerformanceOptions.SlowRequestMs"/> is logged at Warning; a route whose 5xx share passes the threshold
/// over enough requests is logged once per window and flagged.
/// </summary>
public sealed partial class RoutePerformanceMonitor : IPerformanceMonitor
{
    private readonly ConcurrentDictionary<RouteKey, RouteEntry> _routes = new();
    private readonly PerformanceOptions _options;
    private readonly ILogger<RoutePerformanceMonitor> _logger;
    private readonly TimeProvider _clock;
    private readonly long _slotTicks;
    private readonly long _windowTicks;
    private readonly Lock _cpuLock = new();
    private (long Timestamp, TimeSpan Cpu) _lastCpu;

    public RoutePerformanceMonitor(IOptions<PerformanceOptions> options, ILogger<RoutePerformanceMonitor> logger, TimeProvider clock)
    {
        _options = options.Value;
        _logger = logger;
        _clock = clock;
        _windowTicks = (long)(_options.WindowSeconds * (double)clock.TimestampFrequency);
        _slotTicks = Math.Max(1, _windowTicks / LatencyWindow.Slots);
        using var process = Process.GetCurrentProcess();
        _lastCpu = (StartTimestamp, process.TotalProcessorTime);
    }

    /// <summary>When this monitor (the process, near enough) started.</summary>
    public long StartTimestamp { get; } = Stopwatch.GetTimestamp();

    public bool Enabled => _options.Enabled;

    /// <summary>
    /// Records one finished request. <paramref name="endpointKey"/> identifies the route (its endpoint object, the same
    /// for every request to it); <paramref name="describe"/> gives its display text, asked once per route and method.
    /// </summary>
    /// <returns>The route's name, e.g. <c>GET /v1/projects/{project_id}</c>.</returns>
    public string Record(object endpointKey, string method, Func<object, string> describe, long elapsedTicks, int status, string requestId)
    {
        var now = _clock.GetTimestamp();
        var entry = _routes.GetOrAdd(new RouteKey(endpointKey, method), static (k, state) =>
            new RouteEntry(k.Method + " " + state.Describe(k.Endpoint), new LatencyWindow(state.SlotTicks)), (Describe: describe, SlotTicks: _slotTicks));
        var micros = elapsedTicks * 1_000_000 / _clock.TimestampFrequency;
        var error = status >= 500;
        entry.Window.Record(now, micros, error);
        if (micros >= _options.SlowRequestMs * 1000L)
        {
            LogSlowRequest(entry.Route, Math.Round(micros / 1000.0, 1), status, requestId);
        }
        if (error)
        {
            CheckErrorRate(entry, now);
        }
        return entry.Route;
    }

    public RoutePerformanceReport Routes()
    {
        var now = _clock.GetTimestamp();
        var items = new List<RoutePerformance>();
        foreach (var entry in _routes.Values)
        {
            if (entry.Window.Read(now) is { } w)
            {
                items.Add(new RoutePerformance(entry.Route, w.Count, w.Errors, Math.Round((double)w.Errors / w.Count, 4), w.P50Ms, w.P95Ms, w.P99Ms, w.MaxMs)
                {
                    Flagged = IsFlagged(entry, now),
                });
            }
        }
        items.Sort((a, b) => b.Count != a.Count ? b.Count.CompareTo(a.Count) : string.CompareOrdinal(a.Route, b.Route));
        return new RoutePerformanceReport(_options.WindowSeconds, items);
    }

    public SystemFigures System()
    {
        var now = _clock.GetTimestamp();
        using var process = Process.GetCurrentProcess();
        var uptime = _clock.GetUtcNow() - process.StartTime.ToUniversalTime(); // the process's: GC pauses are counted over it
        long requests = 0;
        foreach (var entry in _routes.Values)
        {
            requests += entry.Window.Totals(now).Count;
        }
        var covered = Math.Min(Stopwatch.GetElapsedTime(StartTimestamp, now).TotalSeconds, _options.WindowSeconds);
        var gcInfo = GC.GetGCMemoryInfo();
        var pause = uptime > TimeSpan.Zero ? GC.GetTotalPauseDuration() / uptime * 100 : 0;
        return new SystemFigures(
            Math.Round(uptime.TotalSeconds, 1),
            covered > 0 ? Math.Round(requests / covered, 2) : 0,
            CpuPercent(now, process.TotalProcessorTime),
            new SystemMemory(process.WorkingSet64, gcInfo.HeapSizeBytes),
            new SystemGc(GC.CollectionCount(0), GC.CollectionCount(1), GC.CollectionCount(2), Math.Round(pause, 3)),
            new SystemThreadPool(ThreadPool.ThreadCount, ThreadPool.PendingWorkItemCount));
    }

    public IReadOnlyList<ApiMetricRow> CompletedPeriods(ref long cursor)
    {
        var now = _clock.GetTimestamp();
        var wallNow = _clock.GetUtcNow();
        var current = now / _slotTicks;
        var periodSeconds = (int)Math.Round((double)_slotTicks / _clock.TimestampFrequency);
        var rows = new List<ApiMetricRow>();
        for (var epoch = Math.Max(cursor + 1, current - LatencyWindow.Slots + 1); epoch < current; epoch++)
        {
            var ended = wallNow - TimeSpan.FromSeconds((double)(now - (epoch + 1) * _slotTicks) / _clock.TimestampFrequency);
            foreach (var entry in _routes.Values)
            {
                if (entry.Window.ReadSlot(epoch) is { } w)
                {
                    rows.Add(new ApiMetricRow(ended, entry.Route, periodSeconds, w.Count, w.Errors, w.P50Ms, w.P95Ms, w.P99Ms, w.MaxMs));
                }
            }
        }
        cursor = Math.Max(cursor, current - 1);
        return rows;
    }

    /// <summary>The process's CPU use since the previous look (since start at the first), as a share of all cores.</summary>
    private double CpuPercent(long now, TimeSpan cpu)
    {
        lock (_cpuLock)
        {
            var wall = Stopwatch.GetElapsedTime(_lastCpu.Timestamp, now);
            var used = cpu - _lastCpu.Cpu;
            if (wall < TimeSpan.FromMilliseconds(200))
            {
                wall = Stopwatch.GetElapsedTime(StartTimestamp, now); // asked twice at once: answer over the whole life
                used = cpu;
            }
            else
            {
                _lastCpu = (now, cpu);
            }
            return wall > TimeSpan.Zero ? Math.Round(used / wall / Environment.ProcessorCount * 100, 1) : 0;
        }
    }

    private bool IsFlagged(RouteEntry entry, long now)
    {
        var (count, errors) = entry.Window.Totals(now);
        return count >= _options.ErrorRateMinRequests && (double)errors / count > _options.ErrorRateThreshold;
    }

    private void CheckErrorRate(RouteEntry entry, long now)
    {
        var (count, errors) = entry.Window.Totals(now);
        if (count < _options.ErrorRateMinRequests || (double)errors / count <= _options.ErrorRateThreshold)
        {
            return;
        }
        var last = Interlocked.Read(ref entry.LastAlert);
        if (last != 0 && now - last < _windowTicks)
        {
            return; // logged already in this window
        }
        if (Interlocked.CompareExchange(ref entry.LastAlert, now, last) == last)
        {
            LogErrorRate(entry.Route, Math.Round(100.0 * errors / count, 1), errors, count, _options.WindowSeconds);
        }
    }

    [LoggerMessage(EventId = 7001, Level = LogLevel.Warning, Message = "Slow request: {Route} took {ElapsedMs} ms (status {Status}, request {SlowRequestId})")]
    private partial void LogSlowRequest(string route, double elapsedMs, int status, string slowRequestId);

    [LoggerMessage(EventId = 7002, Level = LogLevel.Warning,
        Message = "High error rate: {Route} answered {ErrorPercent} % server errors ({Errors} of {Requests} requests in the last {WindowSeconds} s)")]
    private partial void LogErrorRate(string route, double errorPercent, long errors, long requests, int windowSeconds);

    private readonly record struct RouteKey(object Endpoint, string Method);

    private sealed class RouteEntry(string route, LatencyWindow window)
    {
        public readonly string Route = route;
        public readonly LatencyWindow Window = window;
        public long LastAlert;
    }
}
