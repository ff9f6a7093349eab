using OpenTelemetry.Metrics;
using OpenTelemetry.Trace;
using RenderOwl.Infrastructure.Observability;
using RenderOwl.Infrastructure.RateLimiting;

namespace RenderOwl.Api.Composition;

/// <summary>Traces and metrics (OpenTelemetry), metrics scraped at <c>/metrics</c> in Prometheus format.</summary>
public static class ObservabilitySetup
{
    public static IServiceCollection AddObservability(this IServiceCollection services)
    {
        services.AddOpenTelemetry()
            .WithTracing(t => t.AddAspNetCoreInstrumentation().AddSource("Npgsql"))
            .WithMetrics(m => m
                .AddMeter("Microsoft.AspNetCore.Hosting", "Microsoft.AspNetCore.Server.Kestrel") // HTTP: built into ASP.NET Core
                .AddRuntimeInstrumentation()
                .AddMeter(RenderOwlMetrics.MeterName, TokenBucketRateLimiter.MeterName, ViolationRecorder.MeterName, "Npgsql")
                // Gauges whose names end in "_count" read as histogram parts to Prometheus tools (promtool): renamed.
                .AddView("db.client.connection.count", new MetricStreamConfiguration { Name = "db.client.connections" })
                .AddView("dotnet.assembly.count", new MetricStreamConfiguration { Name = "dotnet.assemblies.loaded" })
                .AddView("dotnet.process.cpu.count", new MetricStreamConfiguration { Name = "dotnet.process.cpus" })
                .AddView("dotnet.timer.count", new MetricStreamConfiguration { Name = "dotnet.timers.active" })
                .AddPrometheusExporter());
        return services;
    }
}
