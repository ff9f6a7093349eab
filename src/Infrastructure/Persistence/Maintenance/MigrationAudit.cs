using System.Security.Cryptography;
using System.Text;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;
using Npgsql;

namespace RenderOwl.Infrastructure.Persistence.Maintenance;

/// <summary>One migration as the code and the database know it.</summary>
public sealed record MigrationState(string Id, bool Applied, DateTimeOffset? AppliedAt, long? DurationMs, string CodeChecksum, string? RecordedChecksum)
{
    /// <summary>Applied, and its SQL in the code is no longer what was applied.</summary>
    public bool Changed => RecordedChecksum is not null && !string.Equals(RecordedChecksum, CodeChecksum, StringComparison.Ordinal);
}

/// <summary>
/// The record kept beside EF's history (<c>public.__migration_audit</c>): for each applied migration the SHA-256 of its
/// SQL (the statements EF generates from its Up operations for PostgreSQL, without the history insert, which names the
/// EF version), when it was applied and how long it took. Migrations applied before the audit existed are recorded on
/// first sight, with no time.
/// </summary>
public sealed class MigrationAudit(AppDbContext db)
{
    public const string Table = "__migration_audit";

    private IMigrationsAssembly Migrations => db.GetService<IMigrationsAssembly>();

    public IReadOnlyList<string> All => [.. Migrations.Migrations.Keys.Order(StringComparer.Ordinal)];

    public Task EnsureTableAsync(CancellationToken cancellationToken) => db.Database.ExecuteSqlRawAsync($"""
        CREATE TABLE IF NOT EXISTS public.{Table} (
            migration_id varchar(150) PRIMARY KEY,
            checksum_sha256 char(64) NOT NULL,
            applied_at timestamptz,
            duration_ms bigint,
            recorded_at timestamptz NOT NULL DEFAULT now())
        """, cancellationToken);

    /// <summary>SHA-256 (hex) of the SQL the code generates for <paramref name="id"/>'s Up.</summary>
    public string Checksum(string id)
    {
        var migration = Migrations.CreateMigration(Migrations.Migrations[id], db.Database.ProviderName!);
        var generator = db.GetService<IMigrationsSqlGenerator>();
        IReadOnlyList<MigrationCommand> commands;
        try
        {
            // Without the migration's target model: the same SQL for every operation the migrations use so far, and a
            // fifth of the cost (finalising 15 target models took ~330 ms of every start-up, this ~70 ms).
            commands = generator.Generate(migration.UpOperations, model: null);
        }
        catch (InvalidOperationException)
        {
            // An operation that needs the model (data seeding) — the same migration always takes this path.
            commands = generator.Generate(migration.UpOperations, migration.TargetModel is { } target ? db.GetService<IModelRuntimeInitializer>().Initialize(target) : null);
        }
        var sql = string.Join("\n", commands.Select(c => c.CommandText.ReplaceLineEndings("\n")));
        return Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(sql)));
    }

    /// <summary>Records an applied migration (its code checksum: <c>checksum</c> when the caller has it already); a row already there is kept.</summary>
    public async Task RecordAsync(string id, DateTimeOffset? appliedAt, long? durationMs, CancellationToken cancellationToken, string? checksum = null)
        => await db.Database.ExecuteSqlRawAsync(
            $"INSERT INTO public.{Table} (migration_id, checksum_sha256, applied_at, duration_ms) VALUES ({{0}}, {{1}}, {{2}}, {{3}}) ON CONFLICT (migration_id) DO NOTHING",
            [id, checksum ?? Checksum(id), new NpgsqlParameter<DateTimeOffset?>("at", NpgsqlTypes.NpgsqlDbType.TimestampTz) { TypedValue = appliedAt },
                new NpgsqlParameter<long?>("ms", NpgsqlTypes.NpgsqlDbType.Bigint) { TypedValue = durationMs }], cancellationToken);

    public async Task AcceptAsync(string id, string checksum, CancellationToken cancellationToken)
        => await db.Database.ExecuteSqlRawAsync($"UPDATE public.{Table} SET checksum_sha256 = {{1}}, recorded_at = now() WHERE migration_id = {{0}}", [id, checksum], cancellationToken);

    /// <summary>Every migration of the code, and any applied one the code no longer has, with what the database recorded.</summary>
    public async Task<IReadOnlyList<MigrationState>> ReadAsync(CancellationToken cancellationToken)
    {
        var applied = (await db.Database.GetAppliedMigrationsAsync(cancellationToken)).ToHashSet(StringComparer.Ordinal);
        var recorded = new Dictionary<string, (string Checksum, DateTimeOffset? At, long? Ms)>(StringComparer.Ordinal);
        var connection = (NpgsqlConnection)db.Database.GetDbConnection();
        await db.Database.OpenConnectionAsync(cancellationToken);
        try
        {
            // Read-only: a database the audit has not reached yet (migrate-status before the first start) has no table to read.
            await using var exists = new NpgsqlCommand($"SELECT to_regclass('public.{Table}') IS NOT NULL", connection);
            if (!(bool)(await exists.ExecuteScalarAsync(cancellationToken))!)
            {
                return States(applied, recorded);
            }
            await using var command = new NpgsqlCommand($"SELECT migration_id, checksum_sha256, applied_at, duration_ms FROM public.{Table}", connection);
            await using var reader = await command.ExecuteReaderAsync(cancellationToken);
            while (await reader.ReadAsync(cancellationToken))
            {
                recorded[reader.GetString(0)] = (reader.GetString(1), reader.IsDBNull(2) ? null : reader.GetFieldValue<DateTimeOffset>(2), reader.IsDBNull(3) ? null : reader.GetInt64(3));
            }
        }
        finally
        {
            await db.Database.CloseConnectionAsync();
        }
        return States(applied, recorded);
    }

    private List<MigrationState> States(HashSet<string> applied, Dictionary<string, (string Checksum, DateTimeOffset? At, long? Ms)> recorded)
    {
        var code = All;
        var states = code.Select(id => recorded.TryGetValue(id, out var r)
            ? new MigrationState(id, applied.Contains(id), r.At, r.Ms, Checksum(id), r.Checksum)
            : new MigrationState(id, applied.Contains(id), null, null, Checksum(id), null)).ToList();
        states.AddRange(applied.Except(code).Order(StringComparer.Ordinal).Select(id => new MigrationState(id, true, recorded.GetValueOrDefault(id).At, recorded.GetValueOrDefault(id).Ms,
            NotInCode, recorded.GetValueOrDefault(id).Checksum ?? "?")));
        return states;
    }

    /// <summary>The code checksum shown for an applied migration this build does not have.</summary>
    public const string NotInCode = "(not in the code)";
}
