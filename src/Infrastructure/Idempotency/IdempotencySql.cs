namespace RenderOwl.Infrastructure.Idempotency;

/// <summary>The statements of <see cref="IdempotencyStore"/>; the primary key (scope, key) decides who runs a request.</summary>
internal static class IdempotencySql
{
    /// <summary>$1 scope, $2 key, $3 request hash, $4 lifetime (interval). One row affected: this request owns the key.</summary>
    public const string Claim = """
        INSERT INTO operations.idempotency_keys (scope, key, request_hash, completed, created_at, expires_at)
        VALUES ($1, $2, $3, false, now(), now() + $4)
        ON CONFLICT (scope, key) DO NOTHING
        """;

    public const string Find = """
        SELECT request_hash, completed, response_status, response_headers, response_body, expires_at < now()
        FROM operations.idempotency_keys WHERE scope = $1 AND key = $2
        """;

    public const string DeleteExpired = "DELETE FROM operations.idempotency_keys WHERE scope = $1 AND key = $2 AND expires_at < now()";

    public const string Complete = """
        UPDATE operations.idempotency_keys SET completed = true, response_status = $3, response_headers = $4::jsonb, response_body = $5
        WHERE scope = $1 AND key = $2
        """;

    public const string Abandon = "DELETE FROM operations.idempotency_keys WHERE scope = $1 AND key = $2 AND completed = false";

    public const string PurgeExpired = "DELETE FROM operations.idempotency_keys WHERE expires_at < now()";
}
