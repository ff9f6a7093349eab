using System.Diagnostics;
using System.Diagnostics.Metrics;
using RenderOwl.Infrastructure.Observability;
using Serilog.Events;

namespace RenderOwl.Api.Http;

/// <summary>
/// The level of each request's summary line. Every failure (4xx, 5xx, an exception) and every slow request
/// (<c>Logging:SlowRequestMs</c>) is logged; successful fast requests are logged up to
/// <c>Logging:SuccessfulRequestsPerSecond</c> a second (0: all of them), the rest at Verbose, which the default minimum
/// level drops before an event is built. Writing a line for every request was the largest single cost of a cached read
/// under load (docs/benchmarks.md); the route monitor and the metrics still count every request, the sampled ones are
/// counted in <c>renderowl.log.requests_sampled</c>, and a line says how many the previous second left out.
/// </summary>
public sealed class RequestLogSampler
{
    private static readonly Meter Meter = new(RenderOwlMetrics.MeterName);
    private static readonly Counter<long> Sampled = Meter.CreateCounter<long>("renderowl.log.requests_sampled",
        description: "Successful requests whose summary line was not written (over Logging:SuccessfulRequestsPerSecond)");

    private readonly int _perSecond;
    private readonly double _slowMs;
    private readonly ILogger<RequestLogSampler> _log;
    private long _second;
    private int _logged;
    private int _left;

    public RequestLogSampler(IConfiguration configuration, ILogger<RequestLogSampler> log)
    {
        _perSecond = configuration.GetValue("Logging:SuccessfulRequestsPerSecond", 100);
        _slowMs = configuration.GetValue("Logging:SlowRequestMs", 1000.0);
        if (_perSecond < 0 || _slowMs < 0)
        {
            throw new InvalidOperationException("Logging:SuccessfulRequestsPerSecond and Logging:SlowRequestMs must be 0 or more.");
        }
        _log = log;
        _second = Stopwatch.GetTimestamp() / Stopwatch.Frequency;
    }

    public LogEventLevel Level(HttpContext http, double elapsedMs, Exception? exception)
    {
        var status = http.Response.StatusCode;
        if (exception is not null || status >= 500)
        {
            return LogEventLevel.Error;
        }
        if (_perSecond == 0 || status >= 400 || elapsedMs >= _slowMs)
        {
            return LogEventLevel.Information;
        }
        var now = Stopwatch.GetTimestamp() / Stopwatch.Frequency;
        var second = Volatile.Read(ref _second);
        if (now != second && Interlocked.CompareExchange(ref _second, now, second) == second)
        {
            var left = Interlocked.Exchange(ref _left, 0);
            Interlocked.Exchange(ref _logged, 0);
            if (left > 0)
            {
                LogLeftOut(left);
            }
        }
        if (Interlocked.Increment(ref _logged) <= _perSecond)
        {
            return LogEventLevel.Information;
        }
        Interlocked.Increment(ref _left);
        Sampled.Add(1);
        return LogEventLevel.Verbose;
    }

    private void LogLeftOut(int left)
        => _log.LogInformation("Request log sampling: {RequestsNotLogged} successful requests of the last second were not logged one by one (over Logging:SuccessfulRequestsPerSecond = {PerSecond})",
            left, _perSecond);
}
