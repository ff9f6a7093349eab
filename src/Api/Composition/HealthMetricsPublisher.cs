using Microsoft.Extensions.Diagnostics.HealthChecks;
using RenderOwl.Infrastructure.Observability;

namespace RenderOwl.Api.Composition;

/// <summary>
/// Runs every health check on a timer (<c>Metrics:HealthSampleSeconds</c>, 15 s) and exports what it saw at
/// <c>/metrics</c>: <c>renderowl_health_status{check}</c>, <c>renderowl_ready</c> (what <c>GET /ready</c> would
/// answer: the ready checks healthy and the instance not draining), <c>renderowl_disk_free_ratio</c> and
/// <c>renderowl_memory_used_ratio</c> — the series the alerts on readiness, disk and memory read.
/// </summary>
public sealed class HealthMetricsPublisher(Http.ShutdownDrain drain) : IHealthCheckPublisher
{
    public Task PublishAsync(HealthReport report, CancellationToken cancellationToken)
    {
        var checks = report.Entries.Select(e => (e.Key, e.Value.Status switch
        {
            HealthStatus.Healthy => 1.0,
            HealthStatus.Degraded => 0.5,
            _ => 0.0,
        })).ToList();
        var ready = !drain.Draining && report.Entries.Where(e => e.Value.Tags.Contains("ready")).All(e => e.Value.Status == HealthStatus.Healthy);
        RenderOwlMetrics.SetHealth(checks, new RenderOwlMetrics.HealthFigures(ready,
            Figure(report, "disk", "free_ratio"), Figure(report, "memory", "used_ratio")));
        return Task.CompletedTask;
    }

    private static double? Figure(HealthReport report, string check, string key)
        => report.Entries.TryGetValue(check, out var entry) && entry.Data.TryGetValue(key, out var value) ? Convert.ToDouble(value, System.Globalization.CultureInfo.InvariantCulture) : null;

    public static IServiceCollection AddHealthMetrics(IServiceCollection services, IConfiguration configuration)
    {
        var every = TimeSpan.FromSeconds(Math.Max(1, configuration.GetValue("Metrics:HealthSampleSeconds", 15.0)));
        services.Configure<HealthCheckPublisherOptions>(o =>
        {
            o.Delay = TimeSpan.FromSeconds(Math.Min(5, every.TotalSeconds));
            o.Period = every;
        });
        services.AddSingleton<IHealthCheckPublisher, HealthMetricsPublisher>();
        return services;
    }
}
