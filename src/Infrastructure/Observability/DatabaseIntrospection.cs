using Npgsql;
using RenderOwl.Application.Common.Abstractions;
using RenderOwl.Infrastructure.Persistence;

namespace RenderOwl.Infrastructure.Observability;

/// <summary>What the primary says about itself (sizes, cache hit ratio, pg_stat_statements) and the pools' state.</summary>
public sealed class DatabaseIntrospection(DataSources databases, PoolFigures pools) : IDatabaseIntrospection
{
    public async Task<ServerDatabaseStats> ServerStatsAsync(CancellationToken cancellationToken)
    {
        await using var connection = await databases.Primary.OpenConnectionAsync(cancellationToken);
        var tables = new List<TableStats>();
        await using (var command = new NpgsqlCommand(DatabaseStatsSql.Tables, connection))
        await using (var reader = await command.ExecuteReaderProfiledAsync(databases.Profiler, DataSources.PrimaryName, cancellationToken))
        {
            while (await reader.ReadAsync(cancellationToken))
            {
                tables.Add(new TableStats(reader.GetString(0), reader.GetInt64(1), reader.GetInt64(2), reader.GetInt64(3)));
            }
        }
        double? hitRatio;
        await using (var command = new NpgsqlCommand(DatabaseStatsSql.CacheHitRatio, connection))
        {
            hitRatio = await command.ExecuteScalarProfiledAsync(databases.Profiler, DataSources.PrimaryName, cancellationToken) is double ratio ? Math.Round(ratio, 4) : null;
        }
        return new ServerDatabaseStats(tables, hitRatio, await PgStatStatementsAsync(connection, cancellationToken));
    }

    public IReadOnlyDictionary<string, PoolStats> Pools() => pools.Read();

    /// <summary>The top statements by total time, when the extension is installed in this database (null otherwise).</summary>
    private async Task<IReadOnlyList<ServerStatement>?> PgStatStatementsAsync(NpgsqlConnection connection, CancellationToken cancellationToken)
    {
        await using (var exists = new NpgsqlCommand(DatabaseStatsSql.HasPgStatStatements, connection))
        {
            if (await exists.ExecuteScalarProfiledAsync(databases.Profiler, DataSources.PrimaryName, cancellationToken) is not true)
            {
                return null;
            }
        }
        var statements = new List<ServerStatement>();
        try
        {
            await using var command = new NpgsqlCommand(DatabaseStatsSql.TopStatements, connection);
            await using var reader = await command.ExecuteReaderProfiledAsync(databases.Profiler, DataSources.PrimaryName, cancellationToken);
            while (await reader.ReadAsync(cancellationToken))
            {
                statements.Add(new ServerStatement(reader.GetString(0), reader.GetInt64(1), Math.Round(reader.GetDouble(2), 3), Math.Round(reader.GetDouble(3), 3), reader.GetInt64(4)));
            }
        }
        catch (PostgresException e) when (e.SqlState == PostgresErrorCodes.ObjectNotInPrerequisiteState)
        {
            return null; // the extension exists but the server was not started with it in shared_preload_libraries
        }
        return statements;
    }
}
