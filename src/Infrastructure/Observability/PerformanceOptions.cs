using System.ComponentModel.DataAnnotations;

namespace RenderOwl.Infrastructure.Observability;

/// <summary>The per-route monitor and the query profiler (<c>Performance:*</c>, README's configuration table).</summary>
public sealed class PerformanceOptions
{
    public const string Section = "Performance";

    /// <summary>Record requests and database commands at all (on in production; off only to measure what they cost).</summary>
    public bool Enabled { get; set; } = true;

    /// <summary>The sliding window of <c>/internal/performance/routes</c>, in seconds (kept as 15 slots of a fifteenth each).</summary>
    [Range(15, 86_400)]
    public int WindowSeconds { get; set; } = 900;

    /// <summary>A request slower than this is logged at Warning with its route and request id.</summary>
    [Range(1, 3_600_000)]
    public int SlowRequestMs { get; set; } = 1_000;

    /// <summary>A route whose share of 5xx answers in the window passes this is logged (once per window) and flagged.</summary>
    [Range(0.0, 1.0)]
    public double ErrorRateThreshold { get; set; } = 0.10;

    /// <summary>…counted only once the route has had this many requests in the window.</summary>
    [Range(1, 1_000_000)]
    public int ErrorRateMinRequests { get; set; } = 100;

    /// <summary>A database command slower than this is kept as slow (the latest 100, <c>/internal/db/slow-queries</c>).</summary>
    [Range(1, 3_600_000)]
    public int SlowQueryMs { get; set; } = 100;

    /// <summary>…and as critical above this.</summary>
    [Range(1, 3_600_000)]
    public int CriticalQueryMs { get; set; } = 500;

    /// <summary>The same normalised statement this many times in one request makes it an N+1 suspect.</summary>
    [Range(2, 10_000)]
    public int NPlusOneThreshold { get; set; } = 10;

    /// <summary>Distinct normalised statements kept (the least called are dropped past this; fixed memory).</summary>
    [Range(10, 100_000)]
    public int MaxStatements { get; set; } = 2_000;
}
