using RenderOwl.Application.Common.Json;
using Hangfire;
using Hangfire.Dashboard;
using OpenTelemetry.Metrics;
using OpenTelemetry.Trace;
using RenderOwl.Api;
using RenderOwl.Api.Auth;
using RenderOwl.Api.Http;
using RenderOwl.Application;
using RenderOwl.Application.Common.Behaviors;
using RenderOwl.Application.Common.Errors;
using RenderOwl.Infrastructure;
using RenderOwl.Infrastructure.Persistence;
using Scalar.AspNetCore;
using Serilog;
using Serilog.Formatting.Compact;

if (args.Length > 0 && args[0] == "errors-doc")
{
    Console.Write(ErrorCatalog.ToMarkdown());
    return;
}

var builder = WebApplication.CreateBuilder(args);
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
builder.WebHost.UseSentry(o =>
{
    o.Dsn = builder.Configuration["Sentry:Dsn"] ?? ""; // empty: disabled
    o.SendDefaultPii = false;
    o.MinimumEventLevel = LogLevel.Error;
});
builder.Services.AddSerilog((services, logger) =>
{
    logger.ReadFrom.Configuration(builder.Configuration).ReadFrom.Services(services).Enrich.FromLogContext()
        .Enrich.With(new RequestIdsEnricher(services.GetRequiredService<IHttpContextAccessor>()))
        .Enrich.With<SensitiveDataMasking>(); // last: masks whatever the enrichers and callers added
    if (builder.Configuration.GetValue("Logging:Json", !builder.Environment.IsDevelopment()))
    {
        logger.WriteTo.Console(new RenderedCompactJsonFormatter());
    }
    else
    {
        logger.WriteTo.Console(outputTemplate: "[{Timestamp:HH:mm:ss} {Level:u3}] {Message:lj} {RequestId}{NewLine}{Exception}");
    }
}, writeToProviders: true);
builder.Services.AddOpenTelemetry()
    .WithTracing(t => t.AddAspNetCoreInstrumentation().AddSource("Npgsql"))
    .WithMetrics(m => m
        .AddMeter("Microsoft.AspNetCore.Hosting", "Microsoft.AspNetCore.Server.Kestrel") // HTTP: built into ASP.NET Core
        .AddRuntimeInstrumentation()
        .AddMeter(RenderOwl.Infrastructure.Observability.RenderOwlMetrics.MeterName, RenderOwl.Infrastructure.RateLimiting.TokenBucketRateLimiter.MeterName,
            RenderOwl.Infrastructure.RateLimiting.ViolationRecorder.MeterName, "Npgsql")
        // Gauges whose names end in "_count" read as histogram parts to Prometheus tools (promtool): renamed.
        .AddView("db.client.connection.count", new MetricStreamConfiguration { Name = "db.client.connections" })
        .AddView("dotnet.assembly.count", new MetricStreamConfiguration { Name = "dotnet.assemblies.loaded" })
        .AddView("dotnet.process.cpu.count", new MetricStreamConfiguration { Name = "dotnet.process.cpus" })
        .AddView("dotnet.timer.count", new MetricStreamConfiguration { Name = "dotnet.timers.active" })
        .AddPrometheusExporter());

builder.Services.AddApplication();
builder.Services.AddInfrastructure(builder.Configuration, builder.Environment);
builder.Services.AddMediator(o =>
{
    o.ServiceLifetime = ServiceLifetime.Scoped;
    o.Assemblies = [typeof(RenderOwl.Application.DependencyInjection)];
    o.PipelineBehaviors = [typeof(LoggingBehavior<,>), typeof(ValidationBehavior<,>), typeof(TransactionBehavior<,>)];
});
if (role.RunsWorker)
{
    builder.Services.AddWorker(builder.Configuration);
}

builder.Services.Configure<RenderOwl.Application.Common.Tiers.TierOptions>(builder.Configuration.GetSection(RenderOwl.Application.Common.Tiers.TierOptions.Section));
builder.Services.Configure<RenderOwl.Application.Identity.AuthOptions>(builder.Configuration.GetSection(RenderOwl.Application.Identity.AuthOptions.Section));
builder.Services.Configure<ForwardedHeadersOptions>(o =>
{
    // Client addresses (for per-IP limits) come from X-Forwarded-For only through the proxies listed here.
    o.ForwardedHeaders = Microsoft.AspNetCore.HttpOverrides.ForwardedHeaders.XForwardedFor | Microsoft.AspNetCore.HttpOverrides.ForwardedHeaders.XForwardedProto;
    o.KnownProxies.Clear();
    o.KnownIPNetworks.Clear();
    foreach (var proxy in builder.Configuration.GetSection("Proxy:Trusted").Get<string[]>() ?? [])
    {
        o.KnownIPNetworks.Add(System.Net.IPNetwork.Parse(proxy.Contains('/', StringComparison.Ordinal) ? proxy : proxy + (proxy.Contains(':', StringComparison.Ordinal) ? "/128" : "/32")));
    }
});
builder.Services.Configure<RequestLimitsOptions>(builder.Configuration.GetSection(RequestLimitsOptions.Section));
builder.Services.Configure<ApiVersioningOptions>(builder.Configuration.GetSection(ApiVersioningOptions.Section));
builder.Services.AddSingleton<ETags>();
builder.Services.AddProblemDetails(o => o.CustomizeProblemDetails = Problems.Customize);
builder.Services.AddSingleton<IProblemDetailsWriter, ProblemJsonWriter>(); // after the default: JSON clients keep it, all others get this
builder.Services.AddExceptionHandler<ProblemExceptionHandler>();
builder.Services.AddApiAuthentication();
builder.Services.AddCors(o => o.AddDefaultPolicy(p => p
    .WithOrigins(builder.Configuration.GetSection("Cors:AllowedOrigins").Get<string[]>() ?? [])
    .AllowAnyHeader()
    .WithMethods("GET", "POST", "PATCH", "DELETE")
    .WithExposedHeaders("ETag", "Location", "API-Version", "Deprecation", "Sunset", "Link", "Retry-After",
        "RateLimit", "RateLimit-Policy", "X-RateLimit-Limit", "X-RateLimit-Remaining", "X-RateLimit-Reset",
        "X-Request-Id", "X-Trace-Id", "Idempotent-Replayed")
    .SetPreflightMaxAge(TimeSpan.FromHours(1))));
builder.Services.AddControllers(o =>
    {
        o.ModelBinderProviders.Insert(0, new TypedIdBinderProvider());
        // Nothing binds from forms: without these a urlencoded body sent to a JSON route is parsed (and can throw) before the 415.
        var formFactories = o.ValueProviderFactories.Where(f => f is Microsoft.AspNetCore.Mvc.ModelBinding.FormValueProviderFactory
            or Microsoft.AspNetCore.Mvc.ModelBinding.JQueryFormValueProviderFactory or Microsoft.AspNetCore.Mvc.ModelBinding.FormFileValueProviderFactory).ToList();
        formFactories.ForEach(f => o.ValueProviderFactories.Remove(f));
        o.SuppressImplicitRequiredAttributeForNonNullableReferenceTypes = true; // validators decide what is required
    })
    .AddJsonOptions(o => ApiJson.Configure(o.JsonSerializerOptions))
    .ConfigureApiBehaviorOptions(o => o.InvalidModelStateResponseFactory = Problems.InvalidModelState);
builder.Services.ConfigureHttpJsonOptions(o => ApiJson.Configure(o.SerializerOptions));
builder.Services.AddOpenApi("v1", o => OpenApiSetup.Configure(o));

var app = builder.Build();

if (app.Configuration.GetValue("Database:MigrateOnStartup", true))
{
    await using var scope = app.Services.CreateAsyncScope();
    await DatabaseMigrator.MigrateAsync(scope.ServiceProvider.GetRequiredService<AppDbContext>(), app.Logger);
}

if (args is ["admin", "promote", var adminEmail, ..])
{
    await using var scope = app.Services.CreateAsyncScope();
    try
    {
        var admin = await scope.ServiceProvider.GetRequiredService<Mediator.ISender>().Send(new RenderOwl.Application.Identity.Accounts.PromoteToAdminCommand(adminEmail));
        Console.WriteLine($"{admin.Email} ({admin.Id}) is now an admin.");
    }
    catch (AppException ex)
    {
        await Console.Error.WriteLineAsync($"admin promote: {ex.Message}");
        Environment.ExitCode = 1;
    }
    return;
}

app.UseForwardedHeaders();
app.UseMiddleware<RequestContextMiddleware>();
app.UseMiddleware<DrainMiddleware>();
// Outside the exception handler: it logs the final status, so an expected 4xx is never logged as an error.
app.UseSerilogRequestLogging(o => o.GetLevel = (http, _, ex) =>
    ex is not null || http.Response.StatusCode >= 500 ? Serilog.Events.LogEventLevel.Error : Serilog.Events.LogEventLevel.Information);
app.UseMiddleware<SecurityHeadersMiddleware>();
app.UseExceptionHandler();
app.UseStatusCodePages();
app.UseMiddleware<RequestLimitsMiddleware>();
app.UseMiddleware<ApiVersioningMiddleware>();
app.UseCors();
app.UseRouting();
app.UseMiddleware<ResponseFinalizerMiddleware>();
app.UseMiddleware<BodyLimitMiddleware>();
app.UseAuthentication();
app.UseMiddleware<RateLimitMiddleware>();
app.UseAuthorization();
app.UseMiddleware<RequestTextGuardMiddleware>();
app.UseMiddleware<ReadRoutingMiddleware>();
app.UseMiddleware<IdempotencyMiddleware>();

app.MapControllers();
app.MapOpenApi("/openapi/{documentName}.json").AllowAnonymous();
// Prometheus text format; anonymous like the probes unless Metrics:RequireAdmin (restrict it at the network edge otherwise).
var metrics = app.MapPrometheusScrapingEndpoint("/metrics");
if (builder.Configuration.GetValue("Metrics:RequireAdmin", false))
{
    metrics.RequireAuthorization(AuthSetup.AdminPolicy);
}
else
{
    metrics.AllowAnonymous();
}
app.MapScalarApiReference("/docs", o => o.WithTitle("RenderOwl API").WithOpenApiRoutePattern("/openapi/{documentName}.json")).AllowAnonymous();
app.MapHangfireDashboard("/hangfire", new DashboardOptions
{
    Authorization = [new EndpointAuthorizedDashboardFilter()],
    DashboardTitle = "RenderOwl jobs",
    AppPath = null,
}).RequireAuthorization(AuthSetup.AdminPolicy);

if (role.RunsWorker)
{
    app.Services.GetRequiredService<IRecurringJobManager>().AddOrUpdate<RenderOwl.Infrastructure.Idempotency.PurgeIdempotencyKeysJob>(
        "purge-idempotency-keys", job => job.RunAsync(), Cron.Hourly());
}
app.Logger.LogInformation("RenderOwl starting as {Role}", role.Name);
await app.RunAsync();

/// <summary>Hangfire's own authorization: the admin role again, behind the endpoint's admin policy (a second wall, not the only one).</summary>
internal sealed class EndpointAuthorizedDashboardFilter : IDashboardAuthorizationFilter
{
    public bool Authorize(DashboardContext context) => context.GetHttpContext().User.IsInRole("admin");
}

/// <summary>Entry point marker for WebApplicationFactory.</summary>
public partial class Program
{
    private static TimeSpan Max(TimeSpan a, TimeSpan b) => a > b ? a : b;
}
