using Npgsql;

namespace RenderOwl.Infrastructure.Persistence.Maintenance;

public sealed record TableFigures(string Name, long EstimatedRows, long TableBytes, long IndexBytes, long LiveTuples, long DeadTuples, DateTimeOffset? LastVacuum)
{
    /// <summary>Dead tuples as a share of all tuples: the bloat a VACUUM would reclaim (an estimate from the statistics).</summary>
    public double DeadShare => LiveTuples + DeadTuples == 0 ? 0 : (double)DeadTuples / (LiveTuples + DeadTuples);
}

public sealed record IndexFigures(string Name, string Table, long Bytes, long Scans);

public sealed record OldestTransaction(int Pid, double AgeSeconds, string State, string Query);

public sealed record DatabaseFigures(long DatabaseBytes, long Connections, double? CacheHitRatio, OldestTransaction? Oldest,
    IReadOnlyList<TableFigures> Tables, IReadOnlyList<IndexFigures> Indexes);

/// <summary><c>make db-stats</c>: sizes, row estimates, dead tuples, the cache hit ratio and the oldest open transaction, read from PostgreSQL's catalogue.</summary>
public sealed class DatabaseStats(DataSources databases)
{
    public async Task<DatabaseFigures> ReadAsync(CancellationToken cancellationToken)
    {
        await using var connection = await databases.Direct.OpenConnectionAsync(cancellationToken); // maintenance: on the primary itself, never through a pooler
        var tables = await ReadAllAsync(connection, MaintenanceSql.Tables, r => new TableFigures(r.GetString(0), r.GetInt64(1), r.GetInt64(2), r.GetInt64(3),
            r.GetInt64(4), r.GetInt64(5), r.IsDBNull(6) ? null : r.GetFieldValue<DateTimeOffset>(6)), cancellationToken);
        var indexes = await ReadAllAsync(connection, MaintenanceSql.Indexes, r => new IndexFigures(r.GetString(0), r.GetString(1), r.GetInt64(2), r.GetInt64(3)), cancellationToken);
        var database = (await ReadAllAsync(connection, MaintenanceSql.Database, r => (Bytes: r.GetInt64(0), Connections: r.GetInt64(1), Hit: r.IsDBNull(2) ? (double?)null : r.GetDouble(2)), cancellationToken))[0];
        var oldest = (await ReadAllAsync(connection, MaintenanceSql.OldestTransaction, r => new OldestTransaction(r.GetInt32(0), r.GetDouble(1), r.GetString(2), r.GetString(3)), cancellationToken))
            .FirstOrDefault();
        return new DatabaseFigures(database.Bytes, database.Connections, database.Hit, oldest, tables, indexes);
    }

    internal static async Task<List<T>> ReadAllAsync<T>(NpgsqlConnection connection, string sql, Func<NpgsqlDataReader, T> map, CancellationToken cancellationToken)
    {
        await using var command = new NpgsqlCommand(sql, connection);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        var rows = new List<T>();
        while (await reader.ReadAsync(cancellationToken))
        {
            rows.Add(map(reader));
        }
        return rows;
    }
}
