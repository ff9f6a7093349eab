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
        Primary = Build(PrimaryConnectionString, PrimaryName);
        // What needs a session of its own (LISTEN, migrations) bypasses a transaction pooler in front of the primary.
        Direct = DirectOf(configuration) is var direct && direct != PrimaryConnectionString ? Build(direct, DirectName) : Primary;
        // A replica named the same as the primary (a single-server setup) is no replica.
        Replica = configuration.GetConnectionString("Replica") is { Length: > 0 } replica && replica != PrimaryConnectionString
            ? Build(replica, ReplicaName) : null;
    }

    /// <summary>Where raw commands on these pools are recorded (<see cref="ProfiledCommands"/>); EF's go through its interceptor.</summary>
    public QueryProfiler Profiler { get; }

    /// <summary>A pool named <paramref name="name"/>: the name is the pool's label in Npgsql's metrics and <c>/internal/db/pool</c>.</summary>
    private static NpgsqlDataSource Build(string connectionString, string name)
        => new NpgsqlDataSourceBuilder(connectionString) { Name = name }.Build();

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
