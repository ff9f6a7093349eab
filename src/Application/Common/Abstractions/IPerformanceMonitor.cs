namespace RenderOwl.Application.Common.Abstractions;

/// <summary>One route's figures over the monitor's sliding window: requests, server errors (5xx) and latency percentiles.</summary>
public sealed record RoutePerformance(string Route, long Count, long Errors, double ErrorRate, double P50Ms, double P95Ms, double P99Ms, double MaxMs)
{
    /// <summary>The route's error rate is over the alert threshold, with enough requests in the window to count.</summary>
    public bool Flagged { get; init; }
}

/// <summary>The routes of this instance over the last <see cref="WindowSeconds"/>.</summary>
public sealed record RoutePerformanceReport(int WindowSeconds, IReadOnlyList<RoutePerformance> Items);

public sealed record SystemMemory(long WorkingSetBytes, long GcHeapBytes);

public sealed record SystemGc(int Gen0, int Gen1, int Gen2, double PausePercent);

public sealed record SystemThreadPool(int Threads, long QueueLength);

/// <summary>This process now: uptime, request rate over the window, CPU since the last look, memory, GC and thread pool.</summary>
public sealed record SystemFigures(double UptimeSeconds, double RequestsPerSecond, double CpuPercent, SystemMemory Memory, SystemGc Gc, SystemThreadPool ThreadPool);

/// <summary>Per-route request figures of this instance (sliding window, fixed memory) and the process's own figures.</summary>
public interface IPerformanceMonitor
{
    /// <summary>Every route seen in the window, busiest first.</summary>
    RoutePerformanceReport Routes();

    SystemFigures System();

    /// <summary>
    /// Each route's figures for every whole period (one slot of the window: a minute with the default 15-minute window)
    /// that ended after the one <paramref name="cursor"/> names, oldest first; moves the cursor to the last one read. Periods
    /// already out of the window are gone.
    /// </summary>
    IReadOnlyList<ApiMetricRow> CompletedPeriods(ref long cursor);
}
