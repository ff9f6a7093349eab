using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using Microsoft.Extensions.Configuration;
using Npgsql;

namespace RenderOwl.Infrastructure.Idempotency;

/// <summary>A stored first response for (account, Idempotency-Key).</summary>
public sealed class IdempotencyRecord
{
    public string Scope { get; set; } = "";
    public string Key { get; set; } = "";
    public string RequestHash { get; set; } = "";
    public bool Completed { get; set; }
    public int? ResponseStatus { get; set; }
    public string? ResponseHeaders { get; set; }
    public byte[]? ResponseBody { get; set; }
    public DateTimeOffset CreatedAt { get; set; }
    public DateTimeOffset ExpiresAt { get; set; }
}

internal sealed class IdempotencyRecordConfiguration : IEntityTypeConfiguration<IdempotencyRecord>
{
    public void Configure(EntityTypeBuilder<IdempotencyRecord> builder)
    {
        builder.ToTable("idempotency_keys", "operations");
        builder.HasKey(r => new { r.Scope, r.Key }); // the unique index that decides who runs a request
        builder.Property(r => r.Scope).HasMaxLength(64);
        builder.Property(r => r.Key).HasMaxLength(255);
        builder.Property(r => r.RequestHash).HasMaxLength(64);
        builder.Property(r => r.ResponseHeaders).HasColumnType("jsonb");
        builder.HasIndex(r => r.ExpiresAt);
    }
}

public abstract record IdempotencyClaim
{
    /// <summary>This request is the first with the key: run it, then <see cref="IdempotencyStore.CompleteAsync"/> or <see cref="IdempotencyStore.AbandonAsync"/>.</summary>
    public sealed record Owned : IdempotencyClaim;
    public sealed record Replay(int Status, IReadOnlyDictionary<string, string> Headers, byte[] Body) : IdempotencyClaim;
    public sealed record InFlight : IdempotencyClaim;
    public sealed record DifferentRequest : IdempotencyClaim;
}

/// <summary>
/// Stripe-style idempotency on PostgreSQL. The row's primary key (scope, key) decides who runs a request
/// (<c>INSERT … ON CONFLICT DO NOTHING</c>, never check-then-insert); later requests replay the stored response,
/// wait (409) while the first is in flight, or are refused (422) when their body differs. Rows expire after 24 h.
/// </summary>
public sealed class IdempotencyStore(IConfiguration configuration) : Application.Operations.IIdempotencyKeyPurger
{
    public static readonly TimeSpan Lifetime = TimeSpan.FromHours(24);
    private readonly string _connectionString = configuration.GetConnectionString("Primary")!;

    public async Task<IdempotencyClaim> ClaimAsync(string scope, string key, string requestHash, CancellationToken cancellationToken)
    {
        await using var connection = new NpgsqlConnection(_connectionString);
        await connection.OpenAsync(cancellationToken);
        for (var attempt = 0; attempt < 2; attempt++)
        {
            await using (var insert = new NpgsqlCommand("""
                INSERT INTO operations.idempotency_keys (scope, key, request_hash, completed, created_at, expires_at)
                VALUES ($1, $2, $3, false, now(), now() + make_interval(hours => 24))
                ON CONFLICT (scope, key) DO NOTHING
                """, connection))
            {
                insert.Parameters.AddWithValue(scope);
                insert.Parameters.AddWithValue(key);
                insert.Parameters.AddWithValue(requestHash);
                if (await insert.ExecuteNonQueryAsync(cancellationToken) == 1)
                {
                    return new IdempotencyClaim.Owned();
                }
            }
            await using var select = new NpgsqlCommand(
                "SELECT request_hash, completed, response_status, response_headers, response_body, expires_at < now() FROM operations.idempotency_keys WHERE scope = $1 AND key = $2", connection);
            select.Parameters.AddWithValue(scope);
            select.Parameters.AddWithValue(key);
            await using var reader = await select.ExecuteReaderAsync(cancellationToken);
            if (!await reader.ReadAsync(cancellationToken))
            {
                continue; // abandoned between our insert and select: try again
            }
            if (reader.GetBoolean(5))
            {
                await reader.DisposeAsync();
                await using var expire = new NpgsqlCommand("DELETE FROM operations.idempotency_keys WHERE scope = $1 AND key = $2 AND expires_at < now()", connection);
                expire.Parameters.AddWithValue(scope);
                expire.Parameters.AddWithValue(key);
                await expire.ExecuteNonQueryAsync(cancellationToken);
                continue;
            }
            if (reader.GetString(0) != requestHash)
            {
                return new IdempotencyClaim.DifferentRequest();
            }
            if (!reader.GetBoolean(1))
            {
                return new IdempotencyClaim.InFlight();
            }
            var headers = JsonSerializer.Deserialize<Dictionary<string, string>>(reader.GetString(3)) ?? [];
            return new IdempotencyClaim.Replay(reader.GetInt32(2), headers, (byte[])reader[4]);
        }
        return new IdempotencyClaim.InFlight();
    }

    public async Task CompleteAsync(string scope, string key, int status, IReadOnlyDictionary<string, string> headers, byte[] body)
    {
        await using var connection = new NpgsqlConnection(_connectionString);
        await connection.OpenAsync();
        await using var update = new NpgsqlCommand("""
            UPDATE operations.idempotency_keys SET completed = true, response_status = $3, response_headers = $4::jsonb, response_body = $5
            WHERE scope = $1 AND key = $2
            """, connection);
        update.Parameters.AddWithValue(scope);
        update.Parameters.AddWithValue(key);
        update.Parameters.AddWithValue(status);
        update.Parameters.AddWithValue(JsonSerializer.Serialize(headers));
        update.Parameters.AddWithValue(body);
        await update.ExecuteNonQueryAsync();
    }

    /// <summary>The first request failed with a fault (5xx) or threw: forget the key so a retry can run.</summary>
    public async Task AbandonAsync(string scope, string key)
    {
        await using var connection = new NpgsqlConnection(_connectionString);
        await connection.OpenAsync();
        await using var delete = new NpgsqlCommand("DELETE FROM operations.idempotency_keys WHERE scope = $1 AND key = $2 AND completed = false", connection);
        delete.Parameters.AddWithValue(scope);
        delete.Parameters.AddWithValue(key);
        await delete.ExecuteNonQueryAsync();
    }

    public async Task<int> PurgeExpiredAsync(CancellationToken cancellationToken)
    {
        await using var connection = new NpgsqlConnection(_connectionString);
        await connection.OpenAsync(cancellationToken);
        await using var delete = new NpgsqlCommand("DELETE FROM operations.idempotency_keys WHERE expires_at < now()", connection);
        return await delete.ExecuteNonQueryAsync(cancellationToken);
    }
}

/// <summary>The recurring Hangfire job, hourly: a thin shell that sends the command in the job's own scope.</summary>
public sealed class PurgeIdempotencyKeysJob(Mediator.ISender sender)
{
    public async Task<int> RunAsync() => await sender.Send(new Application.Operations.PurgeIdempotencyKeysCommand());
}
