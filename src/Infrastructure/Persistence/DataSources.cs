using Microsoft.Extensions.Configuration;
using Npgsql;

namespace RenderOwl.Infrastructure.Persistence;

/// <summary>
/// One <see cref="NpgsqlDataSource"/> (one pool) per database, built once (a singleton the host disposes, closing its connections) from <c>ConnectionStrings:Primary</c> and
/// <c>ConnectionStrings:Replica</c>. Every connection of the process comes from these: EF Core's contexts, the
/// dispatcher's LISTEN and heartbeats, idempotency, metrics, replica probes. (Hangfire keeps its own pool: its
/// storage takes a connection string.)
/// </summary>
public sealed class DataSources : IAsyncDisposable
{
    public DataSources(IConfiguration configuration)
    {
        PrimaryConnectionString = PrimaryOf(configuration);
        Primary = NpgsqlDataSource.Create(PrimaryConnectionString);
        // A replica named the same as the primary (a single-server setup) is no replica.
        Replica = configuration.GetConnectionString("Replica") is { Length: > 0 } replica && replica != PrimaryConnectionString
            ? NpgsqlDataSource.Create(replica) : null;
    }

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
