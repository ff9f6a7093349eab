using System.Text.Json;
using Npgsql;
using RenderOwl.Application.Common.Abstractions;
using RenderOwl.Application.Operations;
using RenderOwl.Infrastructure.Observability;
using RenderOwl.Infrastructure.Persistence;

namespace RenderOwl.Infrastructure.Idempotency;

/// <summary>
/// Stripe-style idempotency on PostgreSQL. The row's primary key (scope, key) decides who runs a request
/// (<c>INSERT … ON CONFLICT DO NOTHING</c>, never check-then-insert); later requests replay the stored response,
/// wait (409) while the first is in flight, or are refused (422) when their body differs. Rows expire after <see cref="IIdempotencyStore.Lifetime"/>.
/// </summary>
public sealed class IdempotencyStore(DataSources databases) : IIdempotencyStore, IIdempotencyKeyPurger
{

    public async Task<IdempotencyClaim> ClaimAsync(string scope, string key, string requestHash, CancellationToken cancellationToken)
    {
        await using var connection = await databases.Primary.OpenConnectionAsync(cancellationToken);
        for (var attempt = 0; attempt < 2; attempt++)
        {
            await using (var insert = new NpgsqlCommand(IdempotencySql.Claim, connection))
            {
                insert.Parameters.AddWithValue(scope);
                insert.Parameters.AddWithValue(key);
                insert.Parameters.AddWithValue(requestHash);
                insert.Parameters.AddWithValue(IIdempotencyStore.Lifetime);
                if (await insert.ExecuteNonQueryProfiledAsync(databases.Profiler, DataSources.PrimaryName, cancellationToken) == 1)
                {
                    return new IdempotencyClaim.Owned();
                }
            }
            await using var select = new NpgsqlCommand(IdempotencySql.Find, connection);
            select.Parameters.AddWithValue(scope);
            select.Parameters.AddWithValue(key);
            await using var reader = await select.ExecuteReaderProfiledAsync(databases.Profiler, DataSources.PrimaryName, cancellationToken);
            if (!await reader.ReadAsync(cancellationToken))
            {
                continue; // abandoned between our insert and select: try again
            }
            if (reader.GetBoolean(5))
            {
                await reader.DisposeAsync();
                await using var expire = new NpgsqlCommand(IdempotencySql.DeleteExpired, connection);
                expire.Parameters.AddWithValue(scope);
                expire.Parameters.AddWithValue(key);
                await expire.ExecuteNonQueryProfiledAsync(databases.Profiler, DataSources.PrimaryName, cancellationToken);
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
        await using var connection = await databases.Primary.OpenConnectionAsync();
        await using var update = new NpgsqlCommand(IdempotencySql.Complete, connection);
        update.Parameters.AddWithValue(scope);
        update.Parameters.AddWithValue(key);
        update.Parameters.AddWithValue(status);
        update.Parameters.AddWithValue(JsonSerializer.Serialize(headers));
        update.Parameters.AddWithValue(body);
        await update.ExecuteNonQueryProfiledAsync(databases.Profiler, DataSources.PrimaryName);
    }

    public async Task AbandonAsync(string scope, string key)
    {
        await using var connection = await databases.Primary.OpenConnectionAsync();
        await using var delete = new NpgsqlCommand(IdempotencySql.Abandon, connection);
        delete.Parameters.AddWithValue(scope);
        delete.Parameters.AddWithValue(key);
        await delete.ExecuteNonQueryProfiledAsync(databases.Profiler, DataSources.PrimaryName);
    }

    public async Task<int> PurgeExpiredAsync(CancellationToken cancellationToken)
    {
        await using var connection = await databases.Primary.OpenConnectionAsync(cancellationToken);
        await using var delete = new NpgsqlCommand(IdempotencySql.PurgeExpired, connection);
        return await delete.ExecuteNonQueryProfiledAsync(databases.Profiler, DataSources.PrimaryName, cancellationToken);
    }
}
