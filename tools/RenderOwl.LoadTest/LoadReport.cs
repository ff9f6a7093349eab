using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization;
using HdrHistogram;

namespace RenderOwl.LoadTest;

public sealed record Percentiles(double P50Ms, double P90Ms, double P99Ms, double P999Ms, double MaxMs);

/// <summary>The outcome of a run: throughput, latency percentiles (ms), the status mix and a rating.</summary>
public sealed record LoadReport(
    string Endpoint, string Method, string Mode, double DurationSeconds, int Concurrency, double? TargetRps,
    long Issued, long Completed, double RequestsPerSecond, double ArrivalRate, double SuccessRate, double ErrorRate,
    Percentiles Latency, IReadOnlyDictionary<string, long> Statuses, string Rating)
{
    private static readonly JsonSerializerOptions JsonOptions = new()
    {
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
        WriteIndented = true,
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    };

    internal static LoadReport From(LoadOptions options, HistogramBase latency, TimeSpan elapsed, long issued, long completed, long failed,
        long refused, IReadOnlyDictionary<string, long> statuses)
    {
        double Ms(double percentile) => latency.TotalCount == 0 ? 0 : latency.GetValueAtPercentile(percentile) / 1000.0;
        var percentiles = new Percentiles(Ms(50), Ms(90), Ms(99), Ms(99.9), latency.TotalCount == 0 ? 0 : latency.GetMaxValue() / 1000.0);
        var seconds = elapsed.TotalSeconds;
        var answered = completed + refused;
        var errorRate = answered == 0 ? 0 : (double)failed / answered;
        var rating = errorRate > options.Rating.MaxErrorRate || percentiles.P99Ms > options.Rating.AmberP99Ms ? "red"
            : percentiles.P99Ms > options.Rating.GreenP99Ms ? "amber"
            : "green";
        return new LoadReport(options.Endpoint.ToString(), options.Method.Method, options.Rps is null ? "closed" : "open",
            Math.Round(seconds, 3), options.Concurrency, options.Rps, issued, completed, Math.Round(completed / seconds, 1),
            Math.Round(issued / Math.Min(seconds, options.Duration.TotalSeconds), 1), Math.Round(1 - errorRate, 4), Math.Round(errorRate, 4),
            percentiles, statuses, rating);
    }

    public string ToJson() => JsonSerializer.Serialize(this, JsonOptions);

    public string ToText()
    {
        var text = new StringBuilder();
        var inv = CultureInfo.InvariantCulture;
        var target = TargetRps is { } r ? string.Create(inv, $", target {r:F0} req/s") : "";
        text.AppendLine(inv, $"{Method} {Endpoint}  {Mode} loop, {Concurrency} {(Mode == "open" ? "max in flight" : "clients")}, {DurationSeconds:F1} s{target}");
        text.AppendLine(inv, $"  requests   {Completed} done of {Issued} issued   {RequestsPerSecond:F1} req/s   arrival {ArrivalRate:F1}/s");
        text.AppendLine(inv, $"  latency    p50 {Latency.P50Ms:F2} ms   p90 {Latency.P90Ms:F2} ms   p99 {Latency.P99Ms:F2} ms   p99.9 {Latency.P999Ms:F2} ms   max {Latency.MaxMs:F2} ms");
        text.AppendLine(inv, $"  success    {SuccessRate:P2}   errors {ErrorRate:P2}");
        text.AppendLine("  statuses   " + string.Join("  ", Statuses.OrderBy(s => s.Key, StringComparer.Ordinal).Select(s => $"{s.Key}: {s.Value}")));
        text.Append("  rating     ").Append(Rating.ToUpperInvariant());
        return text.ToString();
    }
}
