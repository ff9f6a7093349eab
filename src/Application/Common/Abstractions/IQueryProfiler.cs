namespace RenderOwl.Application.Common.Abstractions;

/// <summary>One normalised statement (literals and parameters as <c>?</c>) and its executions since start or the last reset.</summary>
public sealed record StatementStats(string Statement, long Calls, double TotalMs, double MeanMs, double MinMs, double MaxMs,
    double P50Ms, double P95Ms, double P99Ms, long SlowCalls, long CriticalCalls);

/// <summary>One execution over the slow threshold: what ran, where (primary or replica), for which request.</summary>
public sealed record SlowQuery(string Statement, double DurationMs, bool Critical, string Database, string? Route, string? RequestId, DateTimeOffset At);

/// <summary>A statement run many times in one request: an N+1 suspect.</summary>
public sealed record NPlusOneSuspect(string Route, string Statement, int CallsPerRequest);

public sealed record PoolStats(int MaxSize, int Busy, int Idle, int Waiting);

public sealed record TableStats(string Name, long Rows, long TotalBytes, long IndexBytes);

/// <summary>A row of PostgreSQL's own pg_stat_statements (when the extension is installed).</summary>
public sealed record ServerStatement(string Query, long Calls, double TotalMs, double MeanMs, long Rows);

/// <summary>What PostgreSQL itself says: table sizes, buffer cache hit ratio, and pg_stat_statements' top statements (null without the extension).</summary>
public sealed record ServerDatabaseStats(IReadOnlyList<TableStats> Tables, double? CacheHitRatio, IReadOnlyList<ServerStatement>? PgStatStatements);

/// <summary>The profiler's verdict and PostgreSQL's own figures (<c>GET /internal/db/stats</c>).</summary>
public sealed record DatabaseStats(string Health, double SlowPercentage, long Calls, IReadOnlyList<NPlusOneSuspect> NPlusOne,
    IReadOnlyList<TableStats> Tables, double? CacheHitRatio, IReadOnlyList<ServerStatement>? PgStatStatements);

/// <summary>This instance's record of the database commands it ran (EF and raw Npgsql, primary and replica).</summary>
public interface IQueryProfiler
{
    /// <summary>Every statement, most total time first.</summary>
    IReadOnlyList<StatementStats> Statements();

    /// <summary>The latest slow executions, newest first.</summary>
    IReadOnlyList<SlowQuery> SlowQueries();

    IReadOnlyList<NPlusOneSuspect> NPlusOneSuspects();

    /// <summary>healthy (slow share under 5 %), degraded (under 10 %) or unhealthy, and the share in percent.</summary>
    (string Health, double SlowPercentage, long Calls) Health();

    void Reset();
}

/// <summary>Figures read from the database server and the connection pools.</summary>
public interface IDatabaseIntrospection
{
    Task<ServerDatabaseStats> ServerStatsAsync(CancellationToken cancellationToken);

    /// <summary>Per data source (<c>primary</c>, <c>replica</c>), from Npgsql's own pool metrics.</summary>
    IReadOnlyDictionary<string, PoolStats> Pools();
}

/// <summary>Tags of health checks.</summary>
public static class HealthTags
{
    /// <summary>A check reported as it is that never makes <c>/health</c> unhealthy (the query profiler's).</summary>
    public const string NonCritical = "non-critical";
}
