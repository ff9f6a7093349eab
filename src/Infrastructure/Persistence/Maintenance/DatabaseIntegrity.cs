using Npgsql;

namespace RenderOwl.Infrastructure.Persistence.Maintenance;

/// <summary>One check of <c>make db-integrity</c>: what was checked, how many rows or indexes break it, and up to five examples.</summary>
public sealed record IntegrityFinding(string Kind, string Check, long Problems, IReadOnlyList<string> Examples);

public sealed record IntegrityReport(IReadOnlyList<IntegrityFinding> Findings, string? AmcheckUnavailable)
{
    public bool Healthy => Findings.All(f => f.Problems == 0);
}

/// <summary>
/// <c>make db-integrity</c>: amcheck's <c>bt_index_check</c> on every B-tree index, every declared foreign key and every
/// owner reference between modules checked for orphans, and the invariants a render's status promises.
/// </summary>
public sealed class DatabaseIntegrity(DataSources databases)
{
    public async Task<IntegrityReport> CheckAsync(CancellationToken cancellationToken)
    {
        await using var connection = await databases.Direct.OpenConnectionAsync(cancellationToken); // maintenance: on the primary itself, never through a pooler
        var findings = new List<IntegrityFinding>();
        var amcheck = await CheckIndexesAsync(connection, findings, cancellationToken);
        await CheckForeignKeysAsync(connection, findings, cancellationToken);
        foreach (var (table, column) in MaintenanceSql.OwnerReferences)
        {
            findings.Add(await CountAsync(connection, "reference", $"{table}.{column} → identity.users",
                $"SELECT t.{column}::text FROM {table} t WHERE t.{column} IS NOT NULL AND NOT EXISTS (SELECT 1 FROM identity.users u WHERE u.id = t.{column})", cancellationToken));
        }
        foreach (var (rule, where) in MaintenanceSql.RenderInvariants)
        {
            findings.Add(await CountAsync(connection, "render", rule, $"SELECT id::text FROM rendering.renders WHERE {where}", cancellationToken));
        }
        return new IntegrityReport(findings, amcheck);
    }

    /// <summary>Returns why amcheck could not run (no extension, no right to create it), or null when every index was checked.</summary>
    private static async Task<string?> CheckIndexesAsync(NpgsqlConnection connection, List<IntegrityFinding> findings, CancellationToken cancellationToken)
    {
        try
        {
            await using var create = new NpgsqlCommand(MaintenanceSql.CreateAmcheck, connection);
            await create.ExecuteNonQueryAsync(cancellationToken);
        }
        catch (PostgresException ex)
        {
            return $"amcheck is not available ({ex.SqlState}: {ex.MessageText}); indexes not checked";
        }
        var indexes = await DatabaseStats.ReadAllAsync(connection, MaintenanceSql.BtreeIndexes, r => (Oid: r.GetFieldValue<uint>(0), Name: r.GetString(1)), cancellationToken);
        var broken = new List<string>();
        foreach (var (oid, name) in indexes)
        {
            try
            {
                await using var check = new NpgsqlCommand(MaintenanceSql.BtreeCheck, connection);
                check.Parameters.Add(new NpgsqlParameter<uint>("index", NpgsqlTypes.NpgsqlDbType.Oid) { TypedValue = oid });
                await check.ExecuteNonQueryAsync(cancellationToken);
            }
            catch (PostgresException ex) when (ex.SqlState is PostgresErrorCodes.IndexCorrupted or PostgresErrorCodes.DataCorrupted or PostgresErrorCodes.InternalError)
            {
                broken.Add($"{name}: {ex.MessageText}");
            }
        }
        findings.Add(new IntegrityFinding("index", $"bt_index_check on {indexes.Count} B-tree index(es)", broken.Count, [.. broken.Take(5)]));
        return null;
    }

    private static async Task CheckForeignKeysAsync(NpgsqlConnection connection, List<IntegrityFinding> findings, CancellationToken cancellationToken)
    {
        var keys = await DatabaseStats.ReadAllAsync(connection, MaintenanceSql.ForeignKeys, r => (Name: r.GetString(0), Child: r.GetString(1), Parent: r.GetString(2),
            Validated: r.GetBoolean(3), Columns: r.GetFieldValue<string[]>(4), ParentColumns: r.GetFieldValue<string[]>(5)), cancellationToken);
        foreach (var key in keys)
        {
            var notNull = string.Join(" AND ", key.Columns.Select(c => $"c.{c} IS NOT NULL"));
            var match = string.Join(" AND ", key.Columns.Zip(key.ParentColumns, (c, p) => $"p.{p} = c.{c}"));
            var finding = await CountAsync(connection, "foreign key", $"{key.Name} ({key.Child} → {key.Parent}){(key.Validated ? "" : ", NOT VALID")}",
                $"SELECT ({string.Join(" || ',' || ", key.Columns.Select(c => $"c.{c}::text"))}) FROM {key.Child} c WHERE {notNull} AND NOT EXISTS (SELECT 1 FROM {key.Parent} p WHERE {match})",
                cancellationToken);
            findings.Add(finding);
        }
    }

    private static async Task<IntegrityFinding> CountAsync(NpgsqlConnection connection, string kind, string check, string offendersSql, CancellationToken cancellationToken)
    {
        var examples = await DatabaseStats.ReadAllAsync(connection, $"SELECT x, count(*) OVER () FROM ({offendersSql}) AS o(x) LIMIT 5",
            r => (Example: r.IsDBNull(0) ? "" : r.GetString(0), Total: r.GetInt64(1)), cancellationToken);
        return new IntegrityFinding(kind, check, examples.Count == 0 ? 0 : examples[0].Total, [.. examples.Select(e => e.Example)]);
    }
}
