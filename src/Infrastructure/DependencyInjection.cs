using Hangfire;
using Hangfire.PostgreSql;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using RenderOwl.Application.Common.Abstractions;
using RenderOwl.Infrastructure.Health;
using RenderOwl.Infrastructure.Persistence;
using RenderOwl.Application.Common.Media;
using RenderOwl.Application.Rendering;
using RenderOwl.Infrastructure.Media;
using RenderOwl.Infrastructure.RateLimiting;
using RenderOwl.Infrastructure.Rendering;
using RenderOwl.Infrastructure.Storage;
using RenderOwl.Infrastructure.Security;
using StackExchange.Redis;

namespace RenderOwl.Infrastructure;

public static class DependencyInjection
{
    public static IServiceCollection AddInfrastructure(this IServiceCollection services, IConfiguration configuration, IHostEnvironment environment)
    {
        var primary = configuration.GetConnectionString("Primary")
            ?? throw new InvalidOperationException("ConnectionStrings:Primary is not configured (scripts/services.sh writes it to .data/services.env).");

        services.AddDbContext<AppDbContext>(o => ConfigureNpgsql(o, primary));
        services.AddScoped<IAppDbContext>(sp => sp.GetRequiredService<AppDbContext>());
        // Stale-tolerant reads: the replica while it is caught up and the account has not just written (ADR 8).
        services.Configure<ReadReplicaOptions>(configuration.GetSection(ReadReplicaOptions.Section));
        services.AddSingleton<ReplicaMonitor>();
        services.AddHostedService(sp => sp.GetRequiredService<ReplicaMonitor>());
        services.AddSingleton<ReplicaContextOptions>();
        services.AddScoped<ReadRouting>();
        services.AddScoped<IReadDbContext, ReadDbContext>();

        services.AddSingleton<IConnectionMultiplexer>(_ =>
        {
            var options = ConfigurationOptions.Parse(configuration.GetConnectionString("Redis") ?? "127.0.0.1:6379");
            options.AbortOnConnectFail = false; // start and serve even while Redis is away; /ready reports it
            options.ConnectTimeout = 2000;
            options.ClientName = "renderowl";
            return ConnectionMultiplexer.Connect(options);
        });

        services.Configure<JwtOptions>(configuration.GetSection(JwtOptions.Section));
        var jwtKey = SecretKeys.Resolve(configuration, environment, "Jwt:SigningKey", "jwt-signing.key");
        services.PostConfigure<JwtOptions>(o => o.SigningKey = jwtKey);
        var cursorKey = SecretKeys.Resolve(configuration, environment, "Pagination:CursorKey", "cursor.key");
        services.AddSingleton<ICursorCodec>(new CursorCodec(cursorKey));
        services.AddSingleton<ITokenService, TokenService>();
        services.AddRenderOwlDataProtection(configuration, environment);
        services.AddSingleton<ISessionRevocations, SessionRevocations>();
        services.AddScoped<IRenderSignals, RenderSignals>(); // API and worker alike: submissions and cancels signal the workers
        services.AddSingleton<IPasswordHasher, PasswordHasher>();
        services.AddSingleton<ApiKeyService>();
        services.AddSingleton<IApiKeyService>(sp => sp.GetRequiredService<ApiKeyService>());
        services.AddSingleton<ApiKeyUsageTracker>();
        services.AddHostedService(sp => sp.GetRequiredService<ApiKeyUsageTracker>());

        services.Configure<RenderingOptions>(configuration.GetSection(RenderingOptions.Section));
        var storageRoot = configuration["Rendering:StoragePath"] is { Length: > 0 } configuredRoot
            ? configuredRoot
            : Path.Combine(SecretKeys.DataPath(configuration), "storage");
        services.AddSingleton(new LocalObjectStorage(storageRoot));
        services.AddSingleton<IObjectStorage>(sp => sp.GetRequiredService<LocalObjectStorage>());
        services.AddSingleton<IMediaInspector, MediaInspector>();
        services.AddSingleton<Application.Rendering.IJobQueueFigures, Jobs.HangfireQueueFigures>();
        services.AddSingleton<IRenderEngine, FfmpegRenderEngine>();
        services.Configure<Networking.FetchOptions>(configuration.GetSection(Networking.FetchOptions.Section));
        services.Configure<Networking.WebhookOptions>(configuration.GetSection(Networking.WebhookOptions.Section));
        services.AddSingleton<IWebhookTargets, Networking.WebhookTargets>();
        services.AddSingleton<Networking.IHostResolver, Networking.DnsHostResolver>();
        services.AddSingleton<ISafeFetcher, Networking.SafeFetcher>();

        services.Configure<Application.Rendering.RenderQueueOptions>(configuration.GetSection(Application.Rendering.RenderQueueOptions.Section));
        services.AddSingleton<Idempotency.IdempotencyStore>();
        services.AddSingleton<Application.Operations.IIdempotencyKeyPurger>(sp => sp.GetRequiredService<Idempotency.IdempotencyStore>());
        services.AddTransient<Idempotency.PurgeIdempotencyKeysJob>();
        services.Configure<RateLimitOptions>(configuration.GetSection(RateLimitOptions.Section));
        services.AddSingleton<TokenBucketRateLimiter>();
        services.AddSingleton<ILoginThrottle, LoginThrottle>();
        services.AddSingleton<ViolationRecorder>();
        services.AddHostedService(sp => sp.GetRequiredService<ViolationRecorder>());

        services.AddHostedService<Observability.QueueMetricsSampler>();
        services.Configure<HealthOptions>(configuration.GetSection(HealthOptions.Section));
        services.AddHealthChecks()
            .AddCheck<DatabaseReadinessCheck>("database", tags: ["ready", "detail"])
            .AddCheck<ReplicaHealthCheck>("replica", tags: ["detail"])
            .AddCheck<RedisReadinessCheck>("redis", tags: ["ready", "detail"])
            .AddCheck<QueueHealthCheck>("queue", tags: ["detail"])
            .AddCheck<DiskHealthCheck>("disk", tags: ["detail"])
            .AddCheck<MemoryHealthCheck>("memory", tags: ["detail"]);

        // Hangfire always on the primary. Its schema is installed with the migrations (DatabaseMigrator), so
        // building the storage does not touch the database and the process starts even while it is down.
        services.AddHangfire(c => c
            .SetDataCompatibilityLevel(CompatibilityLevel.Version_180)
            .UseSimpleAssemblyNameTypeSerializer()
            .UseRecommendedSerializerSettings()
            .UsePostgreSqlStorage(o => o.UseNpgsqlConnection(primary), new PostgreSqlStorageOptions
            {
                SchemaName = DatabaseMigrator.HangfireSchema,
                PrepareSchemaIfNecessary = false,
                QueuePollInterval = TimeSpan.FromSeconds(1),
            }));
        return services;
    }

    public static void AddWorker(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddHangfireServer(o =>
        {
            o.WorkerCount = configuration.GetValue("Hangfire:WorkerCount", Math.Max(2, Environment.ProcessorCount));
            o.Queues = ["critical", "default", "low"];
        });
        services.Configure<DispatcherOptions>(configuration.GetSection(DispatcherOptions.Section));
        services.AddSingleton<RenderDispatcher>();
        services.AddHostedService(sp => sp.GetRequiredService<RenderDispatcher>());
        // Running renders get the grace period, then releasing them is recorded: room for both and for the other services.
        services.Configure<HostOptions>(o => o.ShutdownTimeout = TimeSpan.FromSeconds(configuration.GetValue("Rendering:Dispatcher:ShutdownGraceSeconds", 20.0) + 60));
    }

    /// <param name="options">The context's options.</param>
    /// <param name="connectionString">The server.</param>
    /// <param name="retryOnFailure">EF retries transient failures (the primary); the replica does not — its reads fall back to the primary instead.</param>
    public static void ConfigureNpgsql(DbContextOptionsBuilder options, string connectionString, bool retryOnFailure = true)
        => options.UseNpgsql(connectionString, npgsql =>
            {
                npgsql.MigrationsAssembly(typeof(AppDbContext).Assembly.FullName);
                npgsql.MigrationsHistoryTable("__ef_migrations_history", "public");
                if (retryOnFailure)
                {
                    npgsql.EnableRetryOnFailure(3, TimeSpan.FromSeconds(2), null);
                }
            })
            .UseSnakeCaseNamingConvention();
}
