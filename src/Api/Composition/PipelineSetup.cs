using Hangfire;
using Hangfire.Dashboard;
using Microsoft.Net.Http.Headers;
using RenderOwl.Api.Auth;
using RenderOwl.Api.Http;
using RenderOwl.Infrastructure.Idempotency;
using Scalar.AspNetCore;
using Serilog;

namespace RenderOwl.Api.Composition;

/// <summary>The request pipeline, in order, and the endpoints (docs/architecture.md explains each step).</summary>
public static class PipelineSetup
{
    public static WebApplication UseRenderOwlPipeline(this WebApplication app)
    {
        app.UseForwardedHeaders();
        app.UseMiddleware<RequestContextMiddleware>();
        app.UseMiddleware<DrainMiddleware>();
        app.UseMiddleware<Infrastructure.Observability.PerformanceMiddleware>(); // outside the exception handler: a 500 is recorded as one
        // Outside the exception handler: it logs the final status, so an expected 4xx is never logged as an error.
        // Failures and slow requests always; successful ones up to Logging:SuccessfulRequestsPerSecond (RequestLogSampler).
        var sampler = app.Services.GetRequiredService<RequestLogSampler>();
        // The request logger made once (the middleware otherwise builds Log.ForContext<…>() again on every request).
        var requestLogger = app.Services.GetService<Serilog.ILogger>()?.ForContext(Serilog.Core.Constants.SourceContextPropertyName, "Serilog.AspNetCore.RequestLoggingMiddleware");
        app.UseSerilogRequestLogging(o =>
        {
            o.GetLevel = sampler.Level;
            o.Logger = requestLogger;
        });
        app.UseMiddleware<SecurityHeadersMiddleware>();
        app.UseExceptionHandler();
        app.UseStatusCodePages();
        app.UseMiddleware<RequestLimitsMiddleware>();
        app.UseMiddleware<ApiVersioningMiddleware>();
        app.UseCors();
        app.UseRouting();
        app.UseMiddleware<ResponseFinalizerMiddleware>();
        app.UseMiddleware<BodyLimitMiddleware>();
        // The default scheme reads only the X-API-Key and Authorization headers: a request with neither is anonymous
        // whatever the handlers say, so it skips them (resolving and initialising two handlers was ~5 % of an anonymous
        // request's CPU). Policies that name their own scheme (the dashboard's cookie) still authenticate it themselves.
        // WebApplication adds UseAuthentication at the head of the pipeline unless this key says it is already placed;
        // the branch below sets it only on its own copy of the properties (AuthenticationSkipTests guards both).
        ((IApplicationBuilder)app).Properties["__AuthenticationMiddlewareSet"] = true;
        app.UseWhen(http => http.Request.Headers.ContainsKey(HeaderNames.Authorization) || http.Request.Headers.ContainsKey(ApiKeyAuthenticationHandler.HeaderName),
            credentials => credentials.UseAuthentication());
        app.UseMiddleware<RateLimitMiddleware>();
        app.UseAuthorization();
        app.UseMiddleware<AcceptNegotiationMiddleware>(); // after who-may-call: an anonymous caller learns 401 first
        app.UseMiddleware<RequestTextGuardMiddleware>();
        app.UseMiddleware<ReadRoutingMiddleware>();
        app.UseMiddleware<IdempotencyMiddleware>();
        return app;
    }

    public static WebApplication MapRenderOwlEndpoints(this WebApplication app, ServerRole role)
    {
        app.MapControllers();
        app.MapOpenApi("/openapi/{documentName}.json").AllowAnonymous();
        // Prometheus text format; anonymous like the probes unless Metrics:RequireAdmin (restrict it at the network edge otherwise).
        var metrics = app.MapPrometheusScrapingEndpoint("/metrics");
        app.Lifetime.ApplicationStarted.Register(Infrastructure.Observability.RenderOwlMetrics.StartSeries);
        if (app.Configuration.GetValue("Metrics:RequireAdmin", false))
        {
            metrics.RequireAuthorization(Policies.Admin);
        }
        else
        {
            metrics.AllowAnonymous();
        }
        // The API key first (what integrations use; the reference's "Test Request" then asks for X-API-Key), no web fonts
        // (the CSP allows none from elsewhere, and a locked-down network has none), no developer toolbar.
        app.MapScalarApiReference("/docs", o => o.WithTitle("RenderOwl API").WithOpenApiRoutePattern("/openapi/{documentName}.json")
            .AddPreferredSecuritySchemes("api_key").DisableDefaultFonts().HideDeveloperTools()).AllowAnonymous();
        AddSignOutToDashboardMenu();
        app.MapHangfireDashboard("/hangfire", new DashboardOptions
        {
            Authorization = [new DashboardSessionFilter()],
            DashboardTitle = "RenderOwl jobs",
            IsReadOnlyFunc = context => DashboardCookie.IsReadOnly(context.GetHttpContext().User),
            AppPath = null,
        }).RequireAuthorization(Policies.Dashboard); // the dashboard cookie (/hangfire/login), not a bearer token
        if (role.RunsWorker)
        {
            var recurring = app.Services.GetRequiredService<IRecurringJobManager>();
            recurring.AddOrUpdate<PurgeIdempotencyKeysJob>("purge-idempotency-keys", job => job.RunAsync(), Cron.Hourly());
            recurring.AddOrUpdate<Infrastructure.Webhooks.SweepDueDeliveriesJob>("sweep-webhook-deliveries", job => job.RunAsync(), Cron.Minutely());
            recurring.AddOrUpdate<Infrastructure.Caching.WarmCacheJob>("warm-cache", job => job.RunAsync(CancellationToken.None), "*/5 * * * *");
            recurring.AddOrUpdate<Infrastructure.Analytics.RollUpUsageJob>("analytics-rollup", job => job.RunAsync(CancellationToken.None), Cron.Minutely());
            recurring.AddOrUpdate<Infrastructure.Analytics.AnalyticsPartitionsJob>("analytics-partitions", job => job.RunAsync(CancellationToken.None), Cron.Daily());
            recurring.AddOrUpdate<Infrastructure.Rendering.RecordQueueMetricsJob>("queue-metrics", job => job.RunAsync(CancellationToken.None), Cron.Minutely());
            recurring.AddOrUpdate<Infrastructure.Monitoring.MonitoringPartitionsJob>("monitoring-partitions", job => job.RunAsync(CancellationToken.None), Cron.Daily());
            recurring.AddOrUpdate<Infrastructure.Jobs.RetentionJob>("retention", job => job.RunAsync(CancellationToken.None), Cron.Daily(3));
            recurring.AddOrUpdate<Infrastructure.Jobs.AccountDeletionSweepJob>("account-data-sweep", job => job.RunAsync(CancellationToken.None), "*/10 * * * *");
        }
        return app;
    }

    private static int s_signOutAdded;

    /// <summary>A "Sign out" item in the dashboard's navigation bar, to the sign-out page (Hangfire's menu is process-wide: added once).</summary>
    private static void AddSignOutToDashboardMenu()
    {
        if (Interlocked.Exchange(ref s_signOutAdded, 1) == 0)
        {
            NavigationMenu.Items.Add(page => new MenuItem("Sign out", page.Url.To("/logout")));
        }
    }

    /// <summary>Hangfire's own authorization: a dashboard session again, behind the endpoint's policy (a second wall, not the only one).</summary>
    private sealed class DashboardSessionFilter : IDashboardAuthorizationFilter
    {
        public bool Authorize(DashboardContext context) => context.GetHttpContext().User.HasClaim(c => c.Type == DashboardCookie.AccessClaim);
    }
}
