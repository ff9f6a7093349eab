using Microsoft.Extensions.Caching.Hybrid;
using Microsoft.Extensions.Caching.Memory;
using Microsoft.Extensions.Caching.StackExchangeRedis;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using RenderOwl.Application.Common.Abstractions;
using RenderOwl.Application.Common.Caching;
using StackExchange.Redis;
using ZiggyCreatures.Caching.Fusion;
using ZiggyCreatures.Caching.Fusion.Backplane.StackExchangeRedis;

namespace RenderOwl.Infrastructure.Caching;

/// <summary>
/// Three FusionCache instances, one per policy (ADR 11): memory (size-capped), then Redis (gzip over 1 KiB), with
/// the Redis backplane so a write on one instance drops the entry from every instance's memory. Each is also a
/// keyed <see cref="HybridCache"/> (the medium one the unkeyed <see cref="HybridCache"/>), which is all the use
/// cases see.
/// </summary>
public static class CacheSetup
{
    public static IServiceCollection AddRenderOwlCache(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddValidatedOptions<CacheOptions>(configuration, CacheOptions.Section);
        services.AddSingleton<CacheStatistics>();
        services.AddSingleton(sp => new RedisCache(new RedisCacheOptions
        {
            // The process's one multiplexer (fail-fast while Redis is away); the backplanes have connections of their own.
            ConnectionMultiplexerFactory = () => Task.FromResult(sp.GetRequiredService<IConnectionMultiplexer>()),
            InstanceName = sp.GetRequiredService<IOptions<CacheOptions>>().Value.KeyPrefix,
        }));
        foreach (var policy in CachePolicies.All)
        {
            AddPolicy(services, configuration, CachePolicies.Name(policy), policy);
        }
        services.AddSingleton<HybridCache>(sp => sp.GetRequiredKeyedService<HybridCache>(CachePolicies.Medium));
        services.AddSingleton<CacheReadLog>();
        services.AddSingleton<ICacheReadLog>(sp => sp.GetRequiredService<CacheReadLog>());
        services.AddHostedService(sp => sp.GetRequiredService<CacheReadLog>());
        services.AddSingleton<ICacheOperations, CacheOperations>();
        services.AddSingleton<CacheInvalidationInterceptor>();
        services.AddTransient<WarmCacheJob>();
        return services;
    }

    private static void AddPolicy(IServiceCollection services, IConfiguration configuration, string name, CachePolicy policy)
    {
        services.AddKeyedSingleton<IMemoryCache>(name, (sp, _) => new MemoryCache(new MemoryCacheOptions
        {
            SizeLimit = sp.GetRequiredService<IOptions<CacheOptions>>().Value.For(policy).L1Size,
        }));
        services.AddFusionCache(name)
            .WithOptions(o =>
            {
                var cache = configuration.GetSection(CacheOptions.Section).Get<CacheOptions>() ?? new CacheOptions();
                o.CacheKeyPrefix = name + ":";
                o.BackplaneChannelPrefix = cache.KeyPrefix + "backplane";
                o.DistributedCacheCircuitBreakerDuration = TimeSpan.FromSeconds(cache.CircuitBreakerSeconds);
                o.BackplaneCircuitBreakerDuration = TimeSpan.FromSeconds(cache.CircuitBreakerSeconds);
                // A write means the old value is wrong: it is not kept for fail-safe (an API key revoked stays revoked while PostgreSQL is away).
                o.RemoveByTagBehavior = RemoveByTagBehavior.Remove;
                o.EnableSyncEventHandlersExecution = true; // the statistics' handlers are two interlocked adds
                o.DistributedCacheErrorsLogLevel = LogLevel.Warning;
                o.BackplaneErrorsLogLevel = LogLevel.Warning;
                o.FailSafeActivationLogLevel = LogLevel.Warning; // a source failed and a stale value was served
            })
            .WithDefaultEntryOptions(e =>
            {
                var cache = configuration.GetSection(CacheOptions.Section).Get<CacheOptions>() ?? new CacheOptions();
                var settings = cache.For(policy);
                e.Duration = TimeSpan.FromSeconds(settings.TtlSeconds);
                e.IsFailSafeEnabled = settings.FailSafeSeconds > 0;
                e.FailSafeMaxDuration = TimeSpan.FromSeconds(Math.Max(settings.FailSafeSeconds, settings.TtlSeconds));
                e.FailSafeThrottleDuration = TimeSpan.FromSeconds(30);
                e.Size = 1; // the memory level counts entries against L1Size
                e.DistributedCacheSoftTimeout = TimeSpan.FromMilliseconds(cache.RedisSoftTimeoutMilliseconds);
                e.DistributedCacheHardTimeout = TimeSpan.FromMilliseconds(cache.RedisHardTimeoutMilliseconds);
                // Awaited, so an invalidation has reached Redis and the backplane when the write's response is sent.
                e.AllowBackgroundDistributedCacheOperations = false;
                e.AllowBackgroundBackplaneOperations = false;
                // No factory timeouts: a loader uses a database context, which must not outlive the request that made it.
            })
            .WithRegisteredKeyedMemoryCacheByCacheName()
            .WithSerializer(sp => new CompressingSerializer(sp.GetRequiredService<IOptions<CacheOptions>>().Value.CompressAboveBytes))
            .WithDistributedCache(sp => new CountingDistributedCache(sp.GetRequiredService<RedisCache>(), name, sp.GetRequiredService<CacheStatistics>()))
            .WithBackplane(sp => new RedisBackplane(Options.Create(new RedisBackplaneOptions { ConnectionMultiplexerFactory = () => ConnectBackplaneAsync(configuration) }),
                sp.GetRequiredService<ILogger<RedisBackplane>>()))
            .WithRegisteredLogger()
            .WithPostSetup((sp, cache) => sp.GetRequiredService<CacheStatistics>().Attach(name, cache, sp.GetRequiredKeyedService<IMemoryCache>(name)))
            .AsKeyedHybridCacheByCacheName();
        services.AddKeyedSingleton<IFusionCache>(name, (sp, _) => sp.GetRequiredService<IFusionCacheProvider>().GetCache(name));
    }

    /// <summary>
    /// The backplane's connection, returned once its subscription link is up too: the connect call returns when the
    /// command link is, and with fail-fast the backplane's first SUBSCRIBE could otherwise fail (an error logged at
    /// start-up, then a retry). While Redis is away it is returned at once; the backplane's own retries take over.
    /// </summary>
    private static async Task<IConnectionMultiplexer> ConnectBackplaneAsync(IConfiguration configuration)
    {
        var options = BackplaneConnection(configuration);
        var connection = await ConnectionMultiplexer.ConnectAsync(options);
        var probe = RedisChannel.Literal(options.ClientName + ":ready");
        for (var waited = 0; connection.IsConnected && waited < options.ConnectTimeout; waited += 50)
        {
            try
            {
                await connection.GetSubscriber().SubscribeAsync(probe, (_, _) => { });
                await connection.GetSubscriber().UnsubscribeAsync(probe);
                break;
            }
            catch (RedisConnectionException)
            {
                await Task.Delay(50);
            }
        }
        return connection;
    }

    /// <summary>Pub/sub on a connection of its own (the backplane owns and closes it), failing fast while Redis is away.</summary>
    private static ConfigurationOptions BackplaneConnection(IConfiguration configuration)
    {
        var options = ConfigurationOptions.Parse(configuration.GetConnectionString("Redis") ?? "127.0.0.1:6379");
        options.AbortOnConnectFail = false;
        options.ConnectTimeout = 2000;
        options.BacklogPolicy = BacklogPolicy.FailFast;
        options.ClientName = "renderowl-backplane";
        return options;
    }
}
