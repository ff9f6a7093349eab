using System.Collections.Concurrent;
using HdrHistogram;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using RenderOwl.Application.Common.Abstractions;

namespace RenderOwl.Infrastructure.Observability;

/// <summary>
/// Every database command this instance runs — EF's through <see cref="ProfilingCommandInterceptor"/>, raw Npgsql's
/// through <see cref="ProfiledCommands"/> — by normalised statement: calls, total/min/max, an HdrHistogram for the
/// percentiles (fixed memory; at most <see cref="PerformanceOptions.MaxStatements"/> rows, the rest in one row), slow and
/// critical counts. The latest 100 slow executions are kept with their route and request id. Within a request, a
/// statement run <see cref="PerformanceOptions.NPlusOneThreshold"/> times or more is logged and kept as an N+1 suspect.
/// </summary>
public sealed partial class QueryProfiler(IOptions<PerformanceOptions> options, ILogger<QueryProfiler> logger, TimeProvider clock,
    IHttpContextAccessor requests) : IQueryProfiler
{
    public const int SlowKept = 100;
    public const int SuspectsKept = 100;
    private const string Overflow = "(other statements: the profiler's table is full)";

    private readonly PerformanceOptions _options = options.Value;
    private readonly ConcurrentDictionary<string, StatementEntry> _statements = new(StringComparer.Ordinal);
    private readonly ConcurrentQueue<SlowQuery> _slow = new();
    private readonly ConcurrentDictionary<(string Route, string Statement), int> _suspects = new();

    public bool Enabled => _options.Enabled;

    /// <summary>
    /// After a request: its statements run <see cref="PerformanceOptions.NPlusOneThreshold"/> times or more are N+1
    /// suspects. The counts live on the request (a feature made at its first command), so a request that runs no
    /// command costs nothing here.
    /// </summary>
    public void EndRequest(HttpContext http, string route)
    {
        if (http.Features.Get<RequestQueries>() is not { } request)
        {
            return;
        }
        foreach (var (statement, calls) in request.Repeated(_options.NPlusOneThreshold))
        {
            if (_suspects.Count < SuspectsKept || _suspects.ContainsKey((route, statement)))
            {
                _suspects.AddOrUpdate((route, statement), calls, (_, seen) => Math.Max(seen, calls));
            }
            LogNPlusOne(route, calls, statement, http.TraceIdentifier);
        }
    }

    /// <summary>Records one execution (<paramref name="database"/>: primary or replica).</summary>
    public void Record(string sql, string database, TimeSpan duration)
    {
        if (!_options.Enabled)
        {
            return;
        }
        var statement = SqlNormalizer.Normalize(sql);
        var entry = _statements.TryGetValue(statement, out var found) ? found
            : _statements.Count < _options.MaxStatements ? _statements.GetOrAdd(statement, static s => new StatementEntry())
            : _statements.GetOrAdd(Overflow, static _ => new StatementEntry());
        var ms = duration.TotalMilliseconds;
        var slow = ms >= _options.SlowQueryMs;
        var critical = ms >= _options.CriticalQueryMs;
        entry.Record(duration, slow, critical);
        var http = requests.HttpContext;
        if (http is not null)
        {
            var request = http.Features.Get<RequestQueries>();
            if (request is null)
            {
                http.Features.Set(request = new RequestQueries());
            }
            request.Count(statement);
        }
        if (slow)
        {
            _slow.Enqueue(new SlowQuery(statement, Math.Round(ms, 3), critical, database, http is null ? null : RouteNames.Of(http), http?.TraceIdentifier, clock.GetUtcNow()));
            while (_slow.Count > SlowKept && _slow.TryDequeue(out _))
            {
            }
        }
    }

    public IReadOnlyList<StatementStats> Statements()
        => [.. _statements.Select(s => s.Value.Stats(s.Key)).Where(s => s.Calls > 0).OrderByDescending(s => s.TotalMs)];

    public IReadOnlyList<SlowQuery> SlowQueries() => [.. _slow.Reverse()];

    public IReadOnlyList<NPlusOneSuspect> NPlusOneSuspects()
        => [.. _suspects.Select(s => new NPlusOneSuspect(s.Key.Route, s.Key.Statement, s.Value)).OrderByDescending(s => s.CallsPerRequest)];

    public (string Health, double SlowPercentage, long Calls) Health()
    {
        long calls = 0, slow = 0;
        foreach (var entry in _statements.Values)
        {
            calls += entry.Calls;
            slow += entry.SlowCalls;
        }
        var share = calls == 0 ? 0 : 100.0 * slow / calls;
        var health = share < 5 ? "healthy" : share < 10 ? "degraded" : "unhealthy";
        return (health, Math.Round(share, 2), calls);
    }

    public void Reset()
    {
        _statements.Clear();
        _slow.Clear();
        _suspects.Clear();
    }

    [LoggerMessage(EventId = 7101, Level = LogLevel.Warning,
        Message = "N+1 suspect: {Route} ran one statement {Calls} times in one request (request {NPlusOneRequestId}): {Statement}")]
    private partial void LogNPlusOne(string route, int calls, string statement, string nPlusOneRequestId);

    /// <summary>One request's statement counts (a request feature).</summary>
    public sealed class RequestQueries
    {
        private readonly Dictionary<string, int> _counts = new(StringComparer.Ordinal);

        public void Count(string statement)
        {
            lock (_counts)
            {
                _counts[statement] = _counts.GetValueOrDefault(statement) + 1;
            }
        }

        public List<(string Statement, int Calls)> Repeated(int threshold)
        {
            lock (_counts)
            {
                return [.. _counts.Where(c => c.Value >= threshold).Select(c => (c.Key, c.Value))];
            }
        }
    }

    private sealed class StatementEntry
    {
        private const long MaxMicros = 3_600_000_000;
        private readonly IntConcurrentHistogram _latency = new(1, MaxMicros, 2);
        private long _totalTicks;
        private long _minTicks = long.MaxValue;
        private long _maxTicks;
        public long Calls;
        public long SlowCalls;
        private long _criticalCalls;

        public void Record(TimeSpan duration, bool slow, bool critical)
        {
            var ticks = duration.Ticks;
            Interlocked.Increment(ref Calls);
            Interlocked.Add(ref _totalTicks, ticks);
            _latency.RecordValue(Math.Clamp(ticks / 10, 1, MaxMicros));
            if (slow)
            {
                Interlocked.Increment(ref SlowCalls);
            }
            if (critical)
            {
                Interlocked.Increment(ref _criticalCalls);
            }
            for (var min = Volatile.Read(ref _minTicks); ticks < min; min = Volatile.Read(ref _minTicks))
            {
                if (Interlocked.CompareExchange(ref _minTicks, ticks, min) == min)
                {
                    break;
                }
            }
            for (var max = Volatile.Read(ref _maxTicks); ticks > max; max = Volatile.Read(ref _maxTicks))
            {
                if (Interlocked.CompareExchange(ref _maxTicks, ticks, max) == max)
                {
                    break;
                }
            }
        }

        public StatementStats Stats(string statement)
        {
            var calls = Interlocked.Read(ref Calls);
            var total = TimeSpan.FromTicks(Interlocked.Read(ref _totalTicks)).TotalMilliseconds;
            static double Ms(double value) => Math.Round(value, 3);
            var copy = _latency.Copy();
            return new StatementStats(statement, calls, Ms(total), calls == 0 ? 0 : Ms(total / calls),
                Ms(TimeSpan.FromTicks(Math.Min(Interlocked.Read(ref _minTicks), Interlocked.Read(ref _maxTicks))).TotalMilliseconds),
                Ms(TimeSpan.FromTicks(Interlocked.Read(ref _maxTicks)).TotalMilliseconds),
                Ms(copy.GetValueAtPercentile(50) / 1000.0), Ms(copy.GetValueAtPercentile(95) / 1000.0), Ms(copy.GetValueAtPercentile(99) / 1000.0),
                Interlocked.Read(ref SlowCalls), Interlocked.Read(ref _criticalCalls));
        }
    }
}
