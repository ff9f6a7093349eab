using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Npgsql;
using RenderOwl.Application.Common.Abstractions;
using RenderOwl.Domain.Assets;
using RenderOwl.Domain.Projects;
using RenderOwl.Domain.Rendering;
using RenderOwl.Domain.Templates;
using RenderOwl.Infrastructure.Observability;
using StackExchange.Redis;

namespace RenderOwl.Infrastructure.Persistence;

/// <summary>
/// Knows whether the replica may serve reads: probes it every <c>ProbeSeconds</c> (reachable, in recovery,
/// replay lag), and remembers in Redis, for every instance, which accounts wrote in the last
/// <c>ReadYourWritesSeconds</c>. Anything unknown (Redis down, probe failed or stale) means: use the primary.
/// </summary>
public sealed class ReplicaMonitor(DataSources databases, IOptions<ReadReplicaOptions> options, IConnectionMultiplexer redis,
    TimeProvider clock, ILogger<ReplicaMonitor> logger) : BackgroundService, IReplicaRouting
{
    private readonly ReadReplicaOptions _options = options.Value;
    private long _usableUntil; // UTC ticks; 0 = not usable
    private bool _lastUsable = true;

    /// <summary>A replica is named (and is not the primary); whether routing to it is on is <see cref="Configured"/>.</summary>
    public bool Exists => databases.Replica is not null;

    public bool Configured => _options.Enabled && Exists;

    /// <summary>The last probe found the replica reachable and caught up, and it is recent.</summary>
    public bool ReplicaUsable => Configured && clock.GetUtcNow().UtcTicks < Interlocked.Read(ref _usableUntil);

    /// <summary>Replay lag at the last successful probe, in seconds.</summary>
    public double? LagSeconds { get; private set; }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (!Configured)
        {
            return;
        }
        RenderOwlMetrics.ObserveReplica(() => (LagSeconds, ReplicaUsable));
        using var timer = new PeriodicTimer(TimeSpan.FromSeconds(_options.ProbeSeconds));
        try
        {
            do
            {
                await ProbeAsync(stoppingToken);
            }
            while (await timer.WaitForNextTickAsync(stoppingToken));
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
    }

    public async Task ProbeAsync(CancellationToken cancellationToken)
    {
        bool usable;
        try
        {
            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            timeout.CancelAfter(TimeSpan.FromSeconds(Math.Max(1, _options.ProbeSeconds)));
            await using var connection = await databases.Replica!.OpenConnectionAsync(timeout.Token);
            await using var probe = new NpgsqlCommand(ReplicaSql.Lag, connection);
            await using var reader = await probe.ExecuteReaderProfiledAsync(databases.Profiler, DataSources.ReplicaName, timeout.Token);
            await reader.ReadAsync(timeout.Token);
            LagSeconds = reader.GetDouble(1);
            usable = LagSeconds <= _options.MaxLagSeconds;
        }
        catch (Exception ex) when (ex is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            LagSeconds = null;
            usable = false;
            if (_lastUsable)
            {
                logger.LogWarning(ex, "Read replica unreachable; reads go to the primary");
            }
        }
        if (usable != _lastUsable)
        {
            logger.LogInformation("Read replica {State} (lag {Lag:0.000} s)", usable ? "in use" : "not in use", LagSeconds);
            _lastUsable = usable;
        }
        // Usable until three probes from now: a stuck probe loop cannot keep an old verdict alive.
        Interlocked.Exchange(ref _usableUntil, usable ? clock.GetUtcNow().AddSeconds(3 * _options.ProbeSeconds).UtcTicks : 0);
    }

    /// <summary>A routed read failed on the replica: take it out of use until a probe finds it well again.</summary>
    public void ReportFailure(Exception exception)
    {
        Interlocked.Exchange(ref _usableUntil, 0);
        if (_lastUsable)
        {
            _lastUsable = false;
            logger.LogWarning(exception, "A read on the replica failed; reads go to the primary until it answers again");
        }
    }

    private static RedisKey WriteKey(string account) => "renderowl:rw:" + account;

    /// <summary>Called before a write request runs: the account reads from the primary for a while.</summary>
    public async Task NoteWriteAsync(string account)
    {
        try
        {
            await redis.GetDatabase().StringSetAsync(WriteKey(account), 1, TimeSpan.FromSeconds(_options.ReadYourWritesSeconds));
        }
        catch (Exception ex) when (ex is RedisException or TimeoutException)
        {
            // Reads check the same key; with Redis away they go to the primary anyway.
        }
    }

    /// <summary>Whether the account wrote recently; true when it cannot be told.</summary>
    public async Task<bool> WroteRecentlyAsync(string account)
    {
        try
        {
            return await redis.GetDatabase().KeyExistsAsync(WriteKey(account));
        }
        catch (Exception ex) when (ex is RedisException or TimeoutException)
        {
            return true;
        }
    }
}

/// <summary>Per request: may this request's stale-tolerant reads go to the replica? Decided by the read-routing middleware; primary otherwise.</summary>
public sealed class ReadRouting : IReadTarget
{
    public bool UseReplica { get; set; }
}

/// <summary>The replica's <see cref="AppDbContext"/>s: the same model, no tracking, no retries of writes (it never writes), from a pool of their own.</summary>
public sealed class ReplicaContexts(DataSources databases)
{
    /// <summary>The replica's contexts, pooled as the primary's are (<see cref="PooledContexts"/>); null without a replica.</summary>
    public IDbContextFactory<AppDbContext>? Pool { get; } = databases.Replica is { } replica ? PooledContexts.PoolFor(Build(replica, databases.Profiler)) : null;

    private static DbContextOptions<AppDbContext> Build(NpgsqlDataSource replica, Observability.QueryProfiler profiler)
    {
        var builder = new DbContextOptionsBuilder<AppDbContext>();
        NpgsqlSetup.Configure(builder, replica, retryOnFailure: false);
        builder.AddInterceptors(new Observability.ProfilingCommandInterceptor(profiler, DataSources.ReplicaName));
        builder.UseQueryTrackingBehavior(QueryTrackingBehavior.NoTracking);
        return builder.Options;
    }
}

/// <summary>
/// Stale-tolerant reads: the replica's context or the request's primary one, made only when a query uses it (a
/// handler that holds this and answers from the cache opens neither).
/// </summary>
public sealed class ReadDbContext(IServiceProvider services, ReadRouting routing, ReplicaContexts replicaContexts) : IReadDbContext, IAsyncDisposable
{
    private AppDbContext? _replica;
    private AppDbContext? _primary;

    private AppDbContext Source => routing.UseReplica && replicaContexts.Pool is { } pool
        ? _replica ??= pool.CreateDbContext().Lease(null)
        : _primary ??= services.GetRequiredService<AppDbContext>();

    public IQueryable<Project> Projects => Source.Projects.AsNoTracking();
    public IQueryable<Asset> Assets => Source.Assets.AsNoTracking();
    public IQueryable<Template> Templates => Source.Templates.AsNoTracking();
    public IQueryable<Render> Renders => Source.Renders.AsNoTracking();
    public IQueryable<RenderEvent> RenderEvents => Source.RenderEvents.AsNoTracking();

    public ValueTask DisposeAsync() => _replica?.DisposeAsync() ?? ValueTask.CompletedTask;
}
