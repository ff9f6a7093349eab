using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Npgsql;
using RenderOwl.Application.Common.Abstractions;
using RenderOwl.Domain.Assets;
using RenderOwl.Domain.Projects;
using RenderOwl.Domain.Rendering;
using RenderOwl.Domain.Templates;
using StackExchange.Redis;

namespace RenderOwl.Infrastructure.Persistence;

public sealed class ReadReplicaOptions
{
    public const string Section = "Database:ReadReplica";
    /// <summary>Route stale-tolerant reads to <c>ConnectionStrings:Replica</c> (when it is set and differs from the primary).</summary>
    public bool Enabled { get; set; } = true;
    /// <summary>The replica is used only while its replay is at most this far behind.</summary>
    public double MaxLagSeconds { get; set; } = 5;
    /// <summary>After any write request, the account reads from the primary for this long (read-your-writes).</summary>
    public double ReadYourWritesSeconds { get; set; } = 5;
    /// <summary>How often the replica's reachability and lag are checked.</summary>
    public double ProbeSeconds { get; set; } = 1;
}

/// <summary>
/// Knows whether the replica may serve reads: probes it every <c>ProbeSeconds</c> (reachable, in recovery,
/// replay lag), and remembers in Redis, for every instance, which accounts wrote in the last
/// <c>ReadYourWritesSeconds</c>. Anything unknown (Redis down, probe failed or stale) means: use the primary.
/// </summary>
public sealed class ReplicaMonitor(IConfiguration configuration, IOptions<ReadReplicaOptions> options, IConnectionMultiplexer redis,
    TimeProvider clock, ILogger<ReplicaMonitor> logger) : BackgroundService
{
    private readonly ReadReplicaOptions _options = options.Value;
    private long _usableUntil; // UTC ticks; 0 = not usable
    private bool _lastUsable = true;

    public string? ConnectionString { get; } =
        configuration.GetConnectionString("Replica") is { Length: > 0 } replica && replica != configuration.GetConnectionString("Primary") ? replica : null;

    public bool Configured => _options.Enabled && ConnectionString is not null;

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
            await using var connection = new NpgsqlConnection(ConnectionString);
            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            timeout.CancelAfter(TimeSpan.FromSeconds(Math.Max(1, _options.ProbeSeconds)));
            await connection.OpenAsync(timeout.Token);
            // Caught up = everything received is replayed; otherwise the lag is the age of the last replayed transaction.
            await using var probe = new NpgsqlCommand("""
                SELECT pg_is_in_recovery(),
                       CASE WHEN NOT pg_is_in_recovery() OR pg_last_wal_receive_lsn() IS NOT DISTINCT FROM pg_last_wal_replay_lsn() THEN 0
                            ELSE COALESCE(extract(epoch FROM now() - pg_last_xact_replay_timestamp()), 0) END::float8
                """, connection);
            await using var reader = await probe.ExecuteReaderAsync(timeout.Token);
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
public sealed class ReadRouting
{
    public bool UseReplica { get; set; }
}

/// <summary>Options of the replica's <see cref="AppDbContext"/>: the same model, no tracking, no retries of writes (it never writes).</summary>
public sealed class ReplicaContextOptions(ReplicaMonitor monitor)
{
    public DbContextOptions<AppDbContext>? Options { get; } = monitor.ConnectionString is { } replica ? Build(replica) : null;

    private static DbContextOptions<AppDbContext> Build(string replica)
    {
        var builder = new DbContextOptionsBuilder<AppDbContext>();
        DependencyInjection.ConfigureNpgsql(builder, replica, retryOnFailure: false);
        builder.UseQueryTrackingBehavior(QueryTrackingBehavior.NoTracking);
        return builder.Options;
    }
}

public sealed class ReadDbContext(AppDbContext primary, ReadRouting routing, ReplicaContextOptions replicaOptions) : IReadDbContext, IAsyncDisposable
{
    private AppDbContext? _replica;

    private AppDbContext Source => routing.UseReplica && replicaOptions.Options is { } options ? _replica ??= new AppDbContext(options) : primary;

    public IQueryable<Project> Projects => Source.Projects.AsNoTracking();
    public IQueryable<Asset> Assets => Source.Assets.AsNoTracking();
    public IQueryable<Template> Templates => Source.Templates.AsNoTracking();
    public IQueryable<Render> Renders => Source.Renders.AsNoTracking();
    public IQueryable<RenderEvent> RenderEvents => Source.RenderEvents.AsNoTracking();

    public ValueTask DisposeAsync() => _replica?.DisposeAsync() ?? ValueTask.CompletedTask;
}
