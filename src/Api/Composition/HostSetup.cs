using RenderOwl.Api.Http;
using Serilog;
using Serilog.Formatting.Compact;

namespace RenderOwl.Api.Composition;

/// <summary>The process: its role, graceful shutdown, Kestrel's hard limits, Sentry and Serilog.</summary>
public static class HostSetup
{
    public static ServerRole AddRenderOwlHost(this WebApplicationBuilder builder, string[] args)
    {
        builder.Logging.ClearProviders(); // Serilog writes the console; Sentry adds its own provider below
        builder.Configuration.AddCommandLine(args, new Dictionary<string, string> { ["--role"] = "RenderOwl:Role" });
        var role = ServerRole.Parse(builder.Configuration["RenderOwl:Role"]);
        var drain = ShutdownDrain.For(builder.Configuration.GetSection(ShutdownOptions.Section).Get<ShutdownOptions>() ?? new(), builder.Environment, role);
        builder.Services.PostConfigure<HostOptions>(o => o.ShutdownTimeout = Max(o.ShutdownTimeout, TimeSpan.FromSeconds(30)) + drain);
        builder.Services.AddSingleton(sp => new ShutdownDrain(drain, sp.GetRequiredService<ILogger<ShutdownDrain>>()));
        builder.Services.AddHostedService(sp => sp.GetRequiredService<ShutdownDrain>());

        builder.WebHost.ConfigureKestrel(k =>
        {
            // The middleware answers with problems below these; Kestrel's hard limits sit above them.
            k.Limits.MaxRequestBodySize = null; // per-endpoint limit in BodyLimitMiddleware
            k.Limits.MaxRequestHeadersTotalSize = 32 * 1024;
            k.Limits.MaxRequestLineSize = 16 * 1024;
            k.AddServerHeader = false;
        });
        builder.WebHost.UseRenderOwlSockets(builder.Configuration);
        builder.Services.AddSingleton<RequestLogSampler>();
        // Only with a DSN: without one the SDK sends nothing, but its middleware still pushed a scope and copied the
        // request into it on every request, and its logger provider saw every log event (docs/benchmarks.md).
        if (!string.IsNullOrWhiteSpace(builder.Configuration["Sentry:Dsn"]))
        {
            builder.WebHost.UseSentry(o => SentrySetup.Configure(o, builder.Configuration, builder.Environment));
        }
        builder.Services.AddSerilog((services, logger) =>
        {
            logger.ReadFrom.Configuration(builder.Configuration).ReadFrom.Services(services).Enrich.FromLogContext()
                .Enrich.With(new RequestIdsEnricher(services.GetRequiredService<IHttpContextAccessor>()))
                .Enrich.With<SensitiveDataMasking>(); // last: masks whatever the enrichers and callers added
            var json = builder.Configuration.GetValue("Logging:Json", !builder.Environment.IsDevelopment());
            // Behind a bounded queue on a thread of its own (LogQueueMonitor): writing every request's line to
            // stdout on the request's thread was a quarter of a cached read's throughput (docs/benchmarks.md).
            // JSON lines go out several per write while the queue holds more (BufferedConsoleSink).
            var queue = new LogQueueMonitor();
            logger.WriteTo.Async(sink =>
            {
                if (json)
                {
                    sink.Sink(new BufferedConsoleSink(new RenderedCompactJsonFormatter(), () => queue.Queued));
                }
                else
                {
                    sink.Console(outputTemplate: "[{Timestamp:HH:mm:ss} {Level:u3}] {Message:lj} {RequestId}{NewLine}{Exception}");
                }
            }, bufferSize: builder.Configuration.GetValue("Logging:QueueSize", 10_000), blockWhenFull: false, monitor: queue);
            // Also to the OTLP collector, when asked: the sink batches on its own thread and carries each event's trace and span.
            if (builder.Configuration.GetValue("OpenTelemetry:Otlp:ExportLogs", false) && ObservabilitySetup.OtlpEndpoint(builder.Configuration) is { } otlp)
            {
                logger.WriteTo.OpenTelemetry(o =>
                {
                    o.Endpoint = new Uri(otlp, "v1/logs").ToString();
                    o.Protocol = Serilog.Sinks.OpenTelemetry.OtlpProtocol.HttpProtobuf;
                    o.ResourceAttributes = new Dictionary<string, object>
                    {
                        ["service.name"] = builder.Configuration["OpenTelemetry:ServiceName"] ?? "renderowl",
                        ["service.version"] = ObservabilitySetup.Version,
                        ["deployment.environment"] = builder.Environment.EnvironmentName,
                    };
                });
            }
        }, writeToProviders: true);
        CachingLoggerFactory.Decorate(builder.Services); // one logger per category (Serilog's factory makes one per call)
        return role;
    }

    private static TimeSpan Max(TimeSpan a, TimeSpan b) => a > b ? a : b;

    /// <summary>
    /// Kestrel's socket transport. <c>Server:InlineScheduling</c> (default on) runs a request on the thread that took its
    /// bytes off the socket instead of queueing it to the thread pool once more: ×1.28 on a cached authenticated read
    /// (P1), ×1.03 on a database read, ×0.93 on the anonymous <c>GET /live</c> (docs/benchmarks.md, ADR 29). Safe here
    /// because the runtime still hands socket completions to the thread pool
    /// (<c>DOTNET_SYSTEM_NET_SOCKETS_INLINE_COMPLETIONS</c> is not set): a request that blocks holds its own
    /// connection's thread, not the socket engine's, as it would without this.
    /// </summary>
    public static IWebHostBuilder UseRenderOwlSockets(this IWebHostBuilder web, IConfiguration configuration)
        => web.UseSockets(o => o.UnsafePreferInlineScheduling = configuration.GetValue("Server:InlineScheduling", true));
}
