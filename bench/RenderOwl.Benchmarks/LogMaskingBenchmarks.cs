using System.Text.RegularExpressions;
using BenchmarkDotNet.Attributes;
using RenderOwl.Api.Http;
using Serilog.Events;
using Serilog.Parsing;

namespace RenderOwl.Benchmarks;

/// <summary>
/// What masking costs on the event every request logs ("HTTP GET /v1/projects/{id} responded 200"): its properties as
/// the request-logging middleware and the enrichers set them. <c>regex on every string</c> is what the masking did
/// before (the same pattern run over each string value); <c>enricher</c> is <see cref="SensitiveDataMasking"/> now,
/// which runs the pattern only on strings that hold one of its literals.
/// <c>dotnet bench/RenderOwl.Benchmarks/bin/Release/net10.0/RenderOwl.Benchmarks.dll --filter '*LogMaskingBenchmarks*'</c>
/// </summary>
[MemoryDiagnoser]
public class LogMaskingBenchmarks
{
    // The pattern of SensitiveDataMasking, copied: the cost of running it on every string, as before.
    private static readonly Regex Before = new(@"(?<=/v1/shared/[0-9a-f]{32}\.[0-9]+\.[0-9]+\.)[A-Za-z0-9_-]+|eyJ[A-Za-z0-9_-]{5,}\.[A-Za-z0-9_-]{5,}\.[A-Za-z0-9_-]+|rok_(?:live|test)_[A-Za-z0-9_-]+|rt_[A-Za-z0-9_-]{20,}|[A-Za-z0-9._%+-]+@[A-Za-z0-9.-]+\.[A-Za-z]{2,}",
        RegexOptions.CultureInvariant | RegexOptions.Compiled);

    private static readonly MessageTemplate Template = new MessageTemplateParser().Parse(
        "HTTP {RequestMethod} {RequestPath} responded {StatusCode} in {Elapsed:0.0000} ms");

    private static readonly SensitiveDataMasking Masking = new();

    private static LogEvent RequestCompleted() => new(DateTimeOffset.UtcNow, LogEventLevel.Information, null, Template,
    [
        new LogEventProperty("RequestMethod", new ScalarValue("GET")),
        new LogEventProperty("RequestPath", new ScalarValue("/v1/projects/0193a5c2-7f3e-7c4a-9d1e-5b8f2a6c4e10")),
        new LogEventProperty("StatusCode", new ScalarValue(200)),
        new LogEventProperty("Elapsed", new ScalarValue(1.2345)),
        new LogEventProperty("SourceContext", new ScalarValue("Serilog.AspNetCore.RequestLoggingMiddleware")),
        new LogEventProperty("RequestId", new ScalarValue("0HNH8K2L3M4N5:00000042")),
        new LogEventProperty("ConnectionId", new ScalarValue("0HNH8K2L3M4N5")),
        new LogEventProperty("TraceId", new ScalarValue("4bf92f3577b34da6a3ce929d0e0e4736")),
        new LogEventProperty("SpanId", new ScalarValue("00f067aa0ba902b7")),
        new LogEventProperty("UserId", new ScalarValue("0193a5c2-1111-7c4a-9d1e-5b8f2a6c4e10")),
        new LogEventProperty("Route", new ScalarValue("GET /v1/projects/{id}")),
        new LogEventProperty("Application", new ScalarValue("RenderOwl")),
        new LogEventProperty("Environment", new ScalarValue("Production")),
    ]);

    private readonly LogEvent _event = RequestCompleted();

    [Benchmark(Baseline = true, Description = "regex on every string (before)")]
    public int RegexOnEveryString()
    {
        var changed = 0;
        foreach (var (_, value) in _event.Properties)
        {
            if (value is ScalarValue { Value: string s } && !ReferenceEquals(Before.Replace(s, SensitiveDataMasking.Mask), s))
            {
                changed++;
            }
        }
        return changed;
    }

    [Benchmark(Description = "enricher (now)")]
    public int Enricher()
    {
        Masking.Enrich(_event, null!);
        return _event.Properties.Count;
    }
}
