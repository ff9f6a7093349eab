using Npgsql;

namespace RenderOwl.Api.IntegrationTests.Infrastructure;

/// <summary>Reading the test database directly, for what no endpoint shows (the outbox, an INSERT count).</summary>
public static class Database
{
    public static async Task<long> CountAsync(ApiFixture fixture, string sql)
    {
        await using var connection = new NpgsqlConnection(fixture.ConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        return (long)(await command.ExecuteScalarAsync())!;
    }

    public static async Task<object?> ScalarAsync(ApiFixture fixture, string sql)
    {
        await using var connection = new NpgsqlConnection(fixture.ConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        return await command.ExecuteScalarAsync();
    }

    /// <summary>A direct change, for state the product only reaches with time (an endpoint failing for days).</summary>
    public static async Task<int> ExecuteAsync(ApiFixture fixture, string sql) => await ExecuteAsync(fixture, sql, TimeSpan.FromSeconds(30));

    /// <summary>The same with a command timeout of its own: bulk seeding on a busy 2-core machine can take well over 30 s.</summary>
    public static async Task<int> ExecuteAsync(ApiFixture fixture, string sql, TimeSpan timeout)
    {
        await using var connection = new NpgsqlConnection(fixture.ConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection) { CommandTimeout = (int)timeout.TotalSeconds };
        return await command.ExecuteNonQueryAsync();
    }
}
