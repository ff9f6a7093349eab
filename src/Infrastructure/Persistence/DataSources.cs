using Microsoft.Extensions.Configuration;
using Npgsql;
using RenderOwl.Infrastructure.Observability;

namespace RenderOwl.Infrastructure.Persistence;

/// <summary>
/// One <see cref="NpgsqlDataSource"/> (one pool) per database, built once (a singleton the host disposes, closing its connections) from <c>ConnectionStrings:Primary</c> and
/// <c>ConnectionStrings:Replica</c>. Every connection of the process comes from these: EF Core's contexts, the
/// dispatcher's LISTEN and heartbeats, idempotency, metrics, replica probes. (Hangfire keeps its own pool: its
/// storage takes a connection string.)
/// </summary>
public sealed class DataSources : IAsyncDisposable
{
    public const string PrimaryName = "primary";
    public const string ReplicaName = "replica";
    public const string DirectName = "primary-direct";

    public DataSources(IConfiguration configuration, QueryProfiler profiler)
    {
        Profiler = profiler;
        PrimaryConnectionString = PrimaryOf(configuration);
        var autoPrepare = MaxAutoPrepareOf(configuration);
        var direct = DirectOf(configuration);
        var pooled = direct != PrimaryConnectionString; // Primary goes through a transaction pooler: no prepared statements there
        Primary = Build(PrimaryConnectionString, PrimaryName, pooled ? 0 : autoPrepare);
        // What needs a session of its own (LISTEN, migrations) bypasses a transaction pooler in front of the primary.
        Direct = pooled ? Build(direct, DirectName, autoPrepare) : Primary;
        // A replica named the same as the primary (a single-server setup) is no replica.
        Replica = configuration.GetConnectionString("Replica") is { Length: > 0 } replica && replica != PrimaryConnectionString
            ? Build(replica, ReplicaName, autoPrepare) : null;
    }

    /// <summary>
    /// <c>Database:MaxAutoPrepare</c> (64; 0 turns it off): how many of the most used statements each connection keeps
    /// prepared (Npgsql's automatic preparation), so PostgreSQL parses and plans them once per connection instead of on
    /// every execution — on a primary-key read that was a large share of the server's CPU (docs/benchmarks.md). Not used on a
    /// primary reached through a transaction pooler (<c>ConnectionStrings:PrimaryDirect</c> set): a statement prepared
    /// on one server connection is unknown on the next. A <c>Max Auto Prepare</c> in a connection string wins.
    /// </summary>
    public static int MaxAutoPrepareOf(IConfiguration configuration)
    {
        var n = configuration.GetValue<int?>("Database:MaxAutoPrepare") ?? 64;
        return n is >= 0 and <= 1000 ? n : throw new InvalidOperationException($"Database:MaxAutoPrepare must be between 0 and 1000 (it is {n}).");
    }

    /// <summary>Where raw commands on these pools are recorded (<see cref="ProfiledCommands"/>); EF's go through its interceptor.</summary>
    public QueryProfiler Profiler { get; }

    /// <summary>A pool named <paramref name="name"/>: the name is the pool's label in Npgsql's metrics and <c>/internal/db/pool</c>.</summary>
    private static NpgsqlDataSource Build(string connectionString, string name, int maxAutoPrepare)
    {
        var builder = new NpgsqlDataSourceBuilder(connectionString) { Name = name };
        var named = new System.Data.Common.DbConnectionStringBuilder { ConnectionString = connectionString }.Keys.Cast<string>()
            .Any(k => k.Replace(" ", "", StringComparison.Ordinal).Equals("MaxAutoPrepare", StringComparison.OrdinalIgnoreCase));
        if (!named)
        {
            builder.ConnectionStringBuilder.MaxAutoPrepare = maxAutoPrepare;
        }
        return builder.Build();
    }

    /// <summary><c>ConnectionStrings:Primary</c>, or a start-up error that names it.</summary>
    public static string PrimaryOf(IConfiguration configuration)
        => configuration.GetConnectionString("Primary") is { Length: > 0 } primary ? primary
            : throw new InvalidOperationException("ConnectionStrings:Primary is not configured (scripts/services.sh writes it to .data/services.env).");

    /// <summary>
    /// <c>ConnectionStrings:PrimaryDirect</c>: the primary itself, when <c>Primary</c> goes through a transaction pooler
    /// (PgBouncer); else <c>Primary</c>. Used for what needs a session: the render queue's LISTEN, migrations, Hangfire.
    /// </summary>
    public static string DirectOf(IConfiguration configuration)
        => configuration.GetConnectionString("PrimaryDirect") is { Length: > 0 } direct ? direct : PrimaryOf(configuration);

    public string PrimaryConnectionString { get; }

    /// <summary>The primary without a pooler in between (<see cref="DirectOf"/>); the same pool as <see cref="Primary"/> when none is configured.</summary>
    public NpgsqlDataSource Direct { get; }
    public NpgsqlDataSource Primary { get; }
    public NpgsqlDataSource? Replica { get; }

    public async ValueTask DisposeAsync()
    {
        await Primary.DisposeAsync();
        if (!ReferenceEquals(Direct, Primary))
        {
            await Direct.DisposeAsync();
        }
        if (Replica is not null)
        {
            await Replica.DisposeAsync();
        }
    }
}
