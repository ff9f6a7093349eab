using System.Reflection;
using OpenTelemetry.Exporter;
using OpenTelemetry.Metrics;
using OpenTelemetry.Resources;
using OpenTelemetry.Trace;
using RenderOwl.Infrastructure.Observability;
using RenderOwl.Infrastructure.RateLimiting;

namespace RenderOwl.Api.Composition;

/// <summary>
/// Traces and metrics (OpenTelemetry). Metrics are scraped at <c>/metrics</c> in Prometheus format; traces go to an
/// OTLP collector when <c>OpenTelemetry:Otlp:Endpoint</c> is set (README: Observability settings).
/// </summary>
public static class ObservabilitySetup
{
    /// <summary>The version this build reports (service.version, Sentry's release): the assembly's informational version.</summary>
    public static string Version { get; } = typeof(ObservabilitySetup).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion
        ?? typeof(ObservabilitySetup).Assembly.GetName().Version?.ToString() ?? "0.0.0";

    public static IServiceCollection AddObservability(this IServiceCollection services, IConfiguration configuration, IHostEnvironment environment)
    {
        var otlp = OtlpEndpoint(configuration);
        var ratio = Math.Clamp(configuration.GetValue("OpenTelemetry:SamplingRatio", 1.0), 0, 1);
        HealthMetricsPublisher.AddHealthMetrics(services, configuration);
        services.AddOpenTelemetry()
            .ConfigureResource(r => r
                .AddService(configuration["OpenTelemetry:ServiceName"] ?? "renderowl", serviceVersion: Version)
                .AddAttributes([
                    new("deployment.environment", environment.EnvironmentName),
                    new("renderowl.role", configuration["RenderOwl:Role"] ?? "all"),
                ]))
            .WithTracing(t =>
            {
                // Always: the request's span gives every log line and problem its trace id.
                t.SetSampler(new NoRootClientSpans(new ParentBasedSampler(new TraceIdRatioBasedSampler(ratio))))
                    .AddAspNetCoreInstrumentation(o =>
                    {
                        o.Filter = http => !IsProbe(http.Request.Path);
                        // A share link's path is its credential: spans keep it with the signature masked.
                        o.EnrichWithHttpRequest = (activity, request) =>
                        {
                            if (request.Path.StartsWithSegments("/v1/shared", StringComparison.Ordinal))
                            {
                                activity.SetTag("url.path", Http.SensitiveDataMasking.MaskText(request.Path.Value ?? ""));
                            }
                        };
                    })
                    .AddSource("Npgsql", RenderOwlTracing.SourceName);
                if (otlp is not null)
                {
                    // Only when spans go somewhere: Redis spans (a profiling session per command) were 2-3 % of a
                    // cached read's CPU with nobody to read them (docs/benchmarks.md).
                    t.AddHttpClientInstrumentation().AddRedisInstrumentation();
                    t.AddOtlpExporter(o =>
                    {
                        o.Endpoint = new Uri(otlp, "v1/traces");
                        o.Protocol = OtlpExportProtocol.HttpProtobuf;
                    });
                }
            })
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

    /// <summary><c>OpenTelemetry:Otlp:Endpoint</c> as a base URL ending in '/' (<c>http://collector:4318/</c>), or null: no export.</summary>
    public static Uri? OtlpEndpoint(IConfiguration configuration)
        => configuration["OpenTelemetry:Otlp:Endpoint"] is { Length: > 0 } raw && Uri.TryCreate(raw.EndsWith('/') ? raw : raw + "/", UriKind.Absolute, out var uri)
            ? uri : null;

    /// <summary>
    /// A database or Redis command (a client span) with no parent is background polling — Hangfire's queue fetch, the
    /// dispatcher's claim loop, cache flushes — hundreds a minute and each a one-span trace: not sampled. The same
    /// commands inside a request, job or render span are kept; the claim is covered by its <c>render.claim</c> span.
    /// </summary>
    private sealed class NoRootClientSpans(Sampler inner) : Sampler
    {
        private static readonly SamplingResult Drop = new(SamplingDecision.Drop);

        public override SamplingResult ShouldSample(in SamplingParameters samplingParameters)
            => samplingParameters.ParentContext.TraceId == default && samplingParameters.Kind == System.Diagnostics.ActivityKind.Client
                ? Drop : inner.ShouldSample(samplingParameters);
    }

    /// <summary>Probes and the scrape are called every few seconds by machines: they make no spans.</summary>
    private static bool IsProbe(PathString path) => path.StartsWithSegments("/live") || path.StartsWithSegments("/ready") || path.StartsWithSegments("/metrics");
}
