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

    public DataSources(IConfiguration configuration, QueryProfiler profiler)
    {
        Profiler = profiler;
        PrimaryConnectionString = PrimaryOf(configuration);
        Primary = Build(PrimaryConnectionString, PrimaryName);
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

    public string PrimaryConnectionString { get; }
    public NpgsqlDataSource Primary { get; }
    public NpgsqlDataSource? Replica { get; }

    public async ValueTask DisposeAsync()
    {
        await Primary.DisposeAsync();
        if (Replica is not null)
        {
            await Replica.DisposeAsync();
        }
    }
}
