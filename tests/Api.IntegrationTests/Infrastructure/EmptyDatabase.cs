using Npgsql;

namespace RenderOwl.Api.IntegrationTests.Infrastructure;

/// <summary>
/// A database of a test's own on the suite's PostgreSQL server, empty (no migration applied), dropped when disposed —
/// for what must not touch the shared one (a first start, a migration audit, a key ring re-encrypted).
/// </summary>
public sealed class EmptyDatabase : IAsyncDisposable
{
    private readonly string _admin;

    public string Name { get; }

    public string ConnectionString { get; }

    private EmptyDatabase(string name, string admin, string connectionString)
    {
        Name = name;
        _admin = admin;
        ConnectionString = connectionString;
    }

    public static async Task<EmptyDatabase> CreateAsync(ApiFixture fixture, string purpose)
    {
        var name = $"renderowl_{purpose}_{Guid.NewGuid().ToString("N")[..8]}";
        var admin = new NpgsqlConnectionStringBuilder(fixture.ConnectionString) { Database = "postgres" }.ConnectionString;
        await ExecuteAsync(admin, $"CREATE DATABASE {name}");
        return new EmptyDatabase(name, admin, new NpgsqlConnectionStringBuilder(fixture.ConnectionString) { Database = name }.ConnectionString);
    }

    /// <summary>Settings that point the API's primary and replica at this database (on top of <paramref name="more"/>).</summary>
    public Dictionary<string, string?> Settings(IDictionary<string, string?>? more = null)
    {
        var settings = new Dictionary<string, string?>(more ?? new Dictionary<string, string?>())
        {
            ["ConnectionStrings:Primary"] = ConnectionString,
            ["ConnectionStrings:Replica"] = ConnectionString,
        };
        return settings;
    }

    public async ValueTask DisposeAsync()
    {
        NpgsqlConnection.ClearAllPools();
        await ExecuteAsync(_admin, $"DROP DATABASE IF EXISTS {Name} WITH (FORCE)");
    }

    private static async Task ExecuteAsync(string connectionString, string sql)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        await command.ExecuteNonQueryAsync();
    }
}
