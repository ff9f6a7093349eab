using Hangfire;
using Hangfire.PostgreSql;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;
using RenderOwl.Application.Common.Abstractions;
using RenderOwl.Application.Common.Media;
using RenderOwl.Application.Common.RateLimiting;
using RenderOwl.Application.Rendering;
using RenderOwl.Infrastructure.Caching;
using RenderOwl.Infrastructure.Health;
using RenderOwl.Infrastructure.Idempotency;
using RenderOwl.Infrastructure.Media;
using RenderOwl.Infrastructure.Networking;
using RenderOwl.Infrastructure.Persistence;
using RenderOwl.Infrastructure.RateLimiting;
using RenderOwl.Infrastructure.Rendering;
using RenderOwl.Infrastructure.Security;
using RenderOwl.Infrastructure.Storage;
using StackExchange.Redis;

namespace RenderOwl.Infrastructure;

/// <summary>Everything the Application's interfaces need from the outside world, one method per concern.</summary>
public static class DependencyInjection
{
    public static IServiceCollection AddInfrastructure(this IServiceCollection services, IConfiguration configuration, IHostEnvironment environment)
    {
        _ = DataSources.PrimaryOf(configuration); // a missing ConnectionStrings:Primary stops start-up here, with its name
        return services
            .AddPersistence(configuration)
            .AddRedis(configuration)
            .AddRenderOwlCache(configuration)
            .AddSecurity(configuration, environment)
            .AddMediaAndRendering(configuration)
            .AddNetworking(configuration)
            .AddRateLimiting(configuration)
            .AddHealth(configuration)
            .AddPerformanceMonitoring(configuration)
            .AddMonitoringHistory()
            .AddJobs(DataSources.DirectOf(configuration)); // Hangfire keeps its own small pool on the primary itself
    }

    /// <summary>The operational history tables: per-instance route and cache figures, server errors, queue figures (a job).</summary>
    private static IServiceCollection AddMonitoringHistory(this IServiceCollection services)
    {
        services.AddSingleton<IInstanceName, Monitoring.InstanceName>();
        services.AddSingleton<IMonitoringStore, Monitoring.MonitoringStore>();
        services.AddSingleton<Monitoring.ErrorLogWriter>();
        services.AddSingleton<IErrorLogQueue>(sp => sp.GetRequiredService<Monitoring.ErrorLogWriter>());
        services.AddHostedService(sp => sp.GetRequiredService<Monitoring.ErrorLogWriter>());
        services.AddSingleton<Monitoring.InstanceMetricsRecorder>();
        services.AddHostedService(sp => sp.GetRequiredService<Monitoring.InstanceMetricsRecorder>());
        services.AddTransient<Rendering.RecordQueueMetricsJob>();
        services.AddTransient<Monitoring.MonitoringPartitionsJob>();
        return services;
    }

    /// <summary>Per-route request figures and the query profiler (<c>/internal/performance/*</c>, <c>/internal/db/*</c>).</summary>
    private static IServiceCollection AddPerformanceMonitoring(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddValidatedOptions<Observability.PerformanceOptions>(configuration, Observability.PerformanceOptions.Section);
        services.AddSingleton<Observability.RoutePerformanceMonitor>();
        services.AddSingleton<IPerformanceMonitor>(sp => sp.GetRequiredService<Observability.RoutePerformanceMonitor>());
        services.AddSingleton<Observability.QueryProfiler>();
        services.AddSingleton<IQueryProfiler>(sp => sp.GetRequiredService<Observability.QueryProfiler>());
        services.AddSingleton<Observability.PoolFigures>();
        services.AddScoped<IDatabaseIntrospection, Observability.DatabaseIntrospection>();
        services.AddSingleton<Persistence.Maintenance.DatabaseStats>();
        services.AddSingleton<Persistence.Maintenance.DatabaseIntegrity>();
        services.AddSingleton<Persistence.Maintenance.DatabaseOptimizer>();
        services.AddValidatedOptions<Application.Analytics.AnalyticsOptions>(configuration, Application.Analytics.AnalyticsOptions.Section);
        services.AddSingleton<IAnalyticsStore, Analytics.AnalyticsStore>();
        services.AddSingleton<IUsageRollUps, Analytics.HangfireUsageRollUps>();
        services.AddSingleton<IAccountDataJobs, Jobs.HangfireAccountDataJobs>();
        services.AddScoped<IAccountErasure, Persistence.InfrastructureErasure>();
        services.AddSingleton<IExportArchiveWriter, Exports.ZipExportWriter>();
        services.AddValidatedOptions<Application.Common.RetentionOptions>(configuration, Application.Common.RetentionOptions.Section);
        return services;
    }

    private static IServiceCollection AddPersistence(this IServiceCollection services, IConfiguration configuration)
    {
        // Made by the container, so the host disposes it: its pools' connections close with the process (or test host).
        services.AddSingleton(sp => new DataSources(configuration, sp.GetRequiredService<Observability.QueryProfiler>()));
        // The options are built once, not for every context (building them per request was a tenth of an uncached
        // read's CPU), and each request scope leases its context from a pool (PooledContexts, ADR 28; docs/benchmarks.md).
        services.AddPooledAppDbContext((sp, o) =>
        {
            NpgsqlSetup.Configure(o, sp.GetRequiredService<DataSources>().Primary);
            o.AddInterceptors(sp.GetRequiredService<CacheInvalidationInterceptor>(), // cached reads of changed rows are dropped after commit
                new Observability.ProfilingCommandInterceptor(sp.GetRequiredService<Observability.QueryProfiler>(), DataSources.PrimaryName));
        });
        services.AddScoped<IAppDbContext>(sp => sp.GetRequiredService<AppDbContext>());
        // Stale-tolerant reads: the replica while it is caught up and the account has not just written (ADR 8).
        services.AddValidatedOptions<ReadReplicaOptions>(configuration, ReadReplicaOptions.Section);
        services.AddSingleton<ReplicaMonitor>();
        services.AddSingleton<IReplicaRouting>(sp => sp.GetRequiredService<ReplicaMonitor>());
        services.AddHostedService(sp => sp.GetRequiredService<ReplicaMonitor>());
        services.AddSingleton<ReplicaContexts>();
        services.AddScoped<ReadRouting>();
        services.AddScoped<IReadTarget>(sp => sp.GetRequiredService<ReadRouting>());
        services.AddScoped<IReadDbContext, ReadDbContext>();
        services.AddSingleton<IStorageFailures, StorageFailures>();
        services.AddSingleton<IIdempotencyStore, IdempotencyStore>();
        services.AddSingleton<Application.Operations.IIdempotencyKeyPurger>(sp => (IdempotencyStore)sp.GetRequiredService<IIdempotencyStore>());
        services.AddTransient<PurgeIdempotencyKeysJob>();
        return services;
    }

    private static IServiceCollection AddRedis(this IServiceCollection services, IConfiguration configuration)
        => services.AddSingleton<IConnectionMultiplexer>(_ =>
        {
            var options = ConfigurationOptions.Parse(configuration.GetConnectionString("Redis") ?? "127.0.0.1:6379");
            options.AbortOnConnectFail = false; // start and serve even while Redis is away; /ready reports it
            options.ConnectTimeout = 2000;
            // While Redis is away a command fails at once instead of waiting in a backlog for the timeout: every
            // caller has a fallback (PostgreSQL, the in-process cache, a local bucket), and a request must not stall.
            options.BacklogPolicy = BacklogPolicy.FailFast;
            options.ClientName = "renderowl";
            return ConnectionMultiplexer.Connect(options);
        });

    private static IServiceCollection AddSecurity(this IServiceCollection services, IConfiguration configuration, IHostEnvironment environment)
    {
        services.AddValidatedOptions<Application.Identity.JwtOptions>(configuration, Application.Identity.JwtOptions.Section);
        var jwtKey = SecretKeys.Resolve(configuration, environment, "Jwt:SigningKey", "jwt-signing.key");
        var previousJwtKeys = SecretKeys.ResolvePrevious(configuration, "Jwt:PreviousSigningKeys");
        services.PostConfigure<Application.Identity.JwtOptions>(o =>
        {
            o.SigningKey = jwtKey;
            o.PreviousSigningKeys = previousJwtKeys;
        });
        var shareKey = SecretKeys.Resolve(configuration, environment, "Sharing:SigningKey", "share-signing.key");
        var previousShareKeys = SecretKeys.ResolvePrevious(configuration, "Sharing:PreviousSigningKeys");
        services.Configure<Application.Rendering.Sharing.SharingOptions>(o =>
        {
            o.SigningKey = shareKey;
            o.PreviousSigningKeys = previousShareKeys;
            o.BaseUrl = configuration["Sharing:BaseUrl"];
        });
        var cursorKey = SecretKeys.Resolve(configuration, environment, "Pagination:CursorKey", "cursor.key");
        services.AddSingleton<ICursorCodec>(new CursorCodec(cursorKey, SecretKeys.ResolvePrevious(configuration, "Pagination:PreviousCursorKeys")));
        services.AddSingleton<ITokenService, TokenService>();
        services.AddRenderOwlDataProtection(configuration, environment);
        services.AddSingleton<ISessionRevocations, SessionRevocations>();
        services.AddScoped<IRefreshTokenLocks, RefreshTokenLocks>();
        services.AddSingleton<IPasswordHasher, PasswordHasher>();
        services.AddSingleton<ApiKeyService>();
        services.AddSingleton<IApiKeyService>(sp => sp.GetRequiredService<ApiKeyService>());
        services.AddSingleton<IApiKeyAuthenticator>(sp => sp.GetRequiredService<ApiKeyService>());
        services.AddSingleton<ApiKeyUsageTracker>();
        services.AddSingleton<IApiKeyUsage>(sp => sp.GetRequiredService<ApiKeyUsageTracker>());
        services.AddHostedService(sp => sp.GetRequiredService<ApiKeyUsageTracker>());
        return services;
    }

    private static IServiceCollection AddMediaAndRendering(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddValidatedOptions<RenderingOptions>(configuration, RenderingOptions.Section);
        services.AddValidatedOptions<MediaOptions>(configuration, MediaOptions.Section);
        var storageRoot = configuration["Rendering:StoragePath"] is { Length: > 0 } configuredRoot
            ? configuredRoot
            : Path.Combine(SecretKeys.DataPath(configuration), "storage");
        services.AddSingleton(new LocalObjectStorage(storageRoot));
        services.AddValidatedOptions<StorageOptions>(configuration, StorageOptions.Section);
        if ((configuration["Storage:Provider"] ?? "local") == "s3")
        {
            // The bucket holds the objects; the local root becomes this instance's bounded cache of it (ADR 24).
            services.AddSingleton(sp => S3Clients.Create(sp.GetRequiredService<IOptions<StorageOptions>>().Value.S3));
            services.AddSingleton(sp => new S3ObjectStorage(sp.GetRequiredService<Amazon.S3.IAmazonS3>(), sp.GetRequiredService<IOptions<StorageOptions>>().Value.S3,
                sp.GetRequiredService<LocalObjectStorage>(), sp.GetRequiredService<Microsoft.Extensions.Logging.ILogger<S3ObjectStorage>>()));
            services.AddSingleton<IObjectStorage>(sp => sp.GetRequiredService<S3ObjectStorage>());
        }
        else
        {
            services.AddSingleton<IObjectStorage>(sp => sp.GetRequiredService<LocalObjectStorage>());
        }
        services.AddSingleton<IMediaInspector, MediaInspector>();
        services.AddSingleton<IRenderEngine, FfmpegRenderEngine>();
        services.AddSingleton<IEngineVersion, FfmpegEngineVersion>();
        services.AddSingleton<ISegmentJoiner, FfmpegRenderEngine>();
        services.AddScoped<ISegmentCoordination, SegmentCoordination>();
        services.AddValidatedOptions<RenderSegmentOptions>(configuration, RenderSegmentOptions.Section);
        services.AddSingleton<ILayoutInspector, LayoutInspector>();
        services.AddScoped<IRenderSignals, RenderSignals>(); // API and worker alike: submissions and cancels signal the workers
        services.AddValidatedOptions<RenderQueueOptions>(configuration, RenderQueueOptions.Section);
        services.AddValidatedOptions<RenderSourceOptions>(configuration, RenderSourceOptions.Section);
        return services;
    }

    private static IServiceCollection AddNetworking(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddValidatedOptions<FetchOptions>(configuration, FetchOptions.Section);
        services.AddValidatedOptions<WebhookOptions>(configuration, WebhookOptions.Section);
        services.AddSingleton<IWebhookTargets, WebhookTargets>();
        services.AddSingleton<IWebhookTransport, WebhookTransport>();
        services.AddSingleton<IWebhookSecrets, Webhooks.WebhookSecrets>();
        services.AddScoped<IDeliveryLocks, Webhooks.DeliveryLocks>();
        services.AddScoped<IProjectLocks, Persistence.Locks.ProjectLocks>();
        services.AddSingleton<IWebhookAttempts, Webhooks.HangfireWebhookAttempts>();
        services.AddTransient<Webhooks.WebhookAttemptJob>();
        services.AddTransient<Webhooks.SweepDueDeliveriesJob>();
        services.AddValidatedOptions<Email.EmailOptions>(configuration, Email.EmailOptions.Section);
        services.AddSingleton<IEmailJobs, Email.HangfireEmailJobs>();
        services.AddScoped<Email.OnceMailer>();
        services.AddScoped<Email.RenderEmailJob>();
        services.AddScoped<Email.NoticeEmailJob>();
        services.AddValidatedOptions<Application.Webhooks.WebhookRetryOptions>(configuration, Application.Webhooks.WebhookRetryOptions.Section);
        services.AddSingleton<IHostResolver, DnsHostResolver>();
        services.AddSingleton<ISafeFetcher, SafeFetcher>();
        return services;
    }

    private static IServiceCollection AddRateLimiting(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddValidatedOptions<RateLimitOptions>(configuration, RateLimitOptions.Section);
        services.AddSingleton<TokenBucketRateLimiter>();
        services.AddSingleton<IRequestRateLimiter>(sp => sp.GetRequiredService<TokenBucketRateLimiter>());
        services.AddSingleton<ILoginThrottle, LoginThrottle>();
        services.AddSingleton<ViolationRecorder>();
        services.AddSingleton<IRateLimitViolations>(sp => sp.GetRequiredService<ViolationRecorder>());
        services.AddHostedService(sp => sp.GetRequiredService<ViolationRecorder>());
        return services;
    }

    private static IServiceCollection AddHealth(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddHostedService<Observability.QueueMetricsSampler>();
        services.AddValidatedOptions<HealthOptions>(configuration, HealthOptions.Section);
        services.AddHealthChecks()
            .AddCheck<DatabaseReadinessCheck>("database", tags: ["ready", "detail"])
            .AddCheck<ReplicaHealthCheck>("replica", tags: ["detail"])
            .AddCheck<RedisReadinessCheck>("redis", tags: ["ready", "detail"])
            .AddCheck<QueueHealthCheck>("queue", tags: ["detail"])
            .AddCheck<DiskHealthCheck>("disk", tags: ["detail"])
            .AddCheck<MemoryHealthCheck>("memory", tags: ["detail"])
            // Non-critical: reported as it is, but /health stays 200 (degraded at worst) whatever it says.
            .AddCheck<QueryProfilerHealthCheck>("queries", tags: ["detail", HealthTags.NonCritical]);
        return services;
    }

    /// <summary>
    /// Hangfire always on the primary, directly (not through PgBouncer: ConnectionStrings:PrimaryDirect). Its schema is installed with the migrations (DatabaseMigrator), so building
    /// the storage does not touch the database and the process starts even while it is down.
    /// </summary>
    private static IServiceCollection AddJobs(this IServiceCollection services, string primaryConnectionString)
    {
        services.AddSingleton<IJobQueueFigures, Jobs.HangfireQueueFigures>();
        return services.AddHangfire(c => c
            .SetDataCompatibilityLevel(CompatibilityLevel.Version_180)
            .UseSimpleAssemblyNameTypeSerializer()
            .UseRecommendedSerializerSettings()
            .UseFilter(new Jobs.HangfireTracingFilter())
            .UsePostgreSqlStorage(o => o.UseNpgsqlConnection(primaryConnectionString), new PostgreSqlStorageOptions
            {
                SchemaName = DatabaseMigrator.HangfireSchema,
                PrepareSchemaIfNecessary = false,
                QueuePollInterval = TimeSpan.FromSeconds(1),
            }));
    }

    public static void AddWorker(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddHangfireServer(o =>
        {
            o.WorkerCount = configuration.GetValue("Hangfire:WorkerCount", Math.Max(2, Environment.ProcessorCount));
            o.Queues = ["critical", "webhooks", "default", "low"];
            // Scheduled jobs (webhook retries) move to their queue this often; Hangfire's default is 15 s.
            o.SchedulePollingInterval = TimeSpan.FromSeconds(configuration.GetValue("Hangfire:SchedulePollingSeconds", 5.0));
        });
        services.AddValidatedOptions<DispatcherOptions>(configuration, DispatcherOptions.Section);
        services.AddSingleton<RenderDispatcher>();
        services.AddHostedService(sp => sp.GetRequiredService<RenderDispatcher>());
        services.AddHostedService<Webhooks.WebhookOutboxRelay>();
        // Running renders get the grace period, then releasing them is recorded: room for both and for the other services.
        services.Configure<HostOptions>(o => o.ShutdownTimeout = TimeSpan.FromSeconds(configuration.GetValue("Rendering:Dispatcher:ShutdownGraceSeconds", 20.0) + 60));
    }

    /// <summary>Options bound from <paramref name="section"/>, their data annotations checked when the host starts: a bad setting stops start-up naming the key.</summary>
    public static OptionsBuilder<T> AddValidatedOptions<T>(this IServiceCollection services, IConfiguration configuration, string section) where T : class
        => services.AddOptions<T>().Bind(configuration.GetSection(section)).ValidateDataAnnotations().ValidateOnStart();
}
