using RenderOwl.Domain.Common;
using RenderOwl.Domain.Identity;

namespace RenderOwl.Application.Common.Abstractions;

public interface ICurrentUser
{
    /// <summary>The authenticated account; throws 401 when the request is anonymous.</summary>
    UserId Id { get; }
    bool IsAuthenticated { get; }
    Role Role { get; }
    /// <summary>Live for sessions and rok_live_ keys; Test for rok_test_ (sandbox) keys.</summary>
    ApiKeyMode Mode { get; }
    /// <summary>The API key the request authenticated with, if any.</summary>
    ApiKeyId? ApiKeyId { get; }
    /// <summary>The account's tier as carried by the credentials (a session token may lag a change by ≤ 15 min).</summary>
    Tier Tier { get; }
    /// <summary>When the password was last checked in this request's session (claim <c>auth_time</c>); null for API keys.</summary>
    DateTimeOffset? AuthenticatedAt { get; }
}

/// <summary>Where the request comes from, for per-IP limits.</summary>
public interface IClientInfo
{
    string IpAddress { get; }
}

public sealed record NewApiKey(string Key, string Prefix, string Hash);

public interface IApiKeyService
{
    NewApiKey Generate(ApiKeyMode mode);
    /// <summary>Drops cached lookups of these keys on every instance, so a revocation or tier change applies to the next request.</summary>
    Task InvalidateAsync(IEnumerable<string> keyHashes, CancellationToken cancellationToken);
}

/// <summary>Failed logins per e-mail and IP address (brute-force protection).</summary>
public interface ILoginThrottle
{
    /// <summary>Null when a login may be tried; else how long to wait.</summary>
    Task<TimeSpan?> BlockedForAsync(string email, string ipAddress, CancellationToken cancellationToken);
    Task RecordFailureAsync(string email, string ipAddress, CancellationToken cancellationToken);
    Task ResetAsync(string email, string ipAddress, CancellationToken cancellationToken);
}

public interface IPasswordHasher
{
    string Hash(string password);
    /// <summary>True when <paramref name="password"/> matches; <paramref name="needsRehash"/> when the hash uses old parameters.</summary>
    bool Verify(string hash, string password, out bool needsRehash);
}

public sealed record AccessToken(string Token, int ExpiresInSeconds);

public interface ITokenService
{
    /// <summary>An access token of session <paramref name="sessionId"/> (claim <c>sid</c>) whose password was checked at <paramref name="authenticatedAt"/> (claim <c>auth_time</c>).</summary>
    AccessToken IssueAccessToken(User user, Guid sessionId, DateTimeOffset authenticatedAt);
    /// <summary>A new opaque refresh token and the hash under which it is stored.</summary>
    (string Token, string Hash) NewRefreshToken();
    string HashRefreshToken(string token);
    TimeSpan RefreshTokenLifetime { get; }
}

/// <summary>Opaque, tamper-evident cursors for keyset pagination.</summary>
public interface ICursorCodec
{
    string Encode(DateTimeOffset createdAt, Guid id);
    bool TryDecode(string cursor, out DateTimeOffset createdAt, out Guid id);
}

/// <summary>
/// Ended sessions (a session is a refresh-token family). The record of truth is PostgreSQL (the family's
/// revoked tokens); it is mirrored in Redis for as long as an access token of the session can live, so every
/// instance refuses its access tokens at once without a database read per request.
/// </summary>
public interface ISessionRevocations
{
    /// <summary>Mirror an ended session (after the commit that ended it).</summary>
    Task MarkEndedAsync(Guid sessionId, CancellationToken cancellationToken);
    Task<bool> IsEndedAsync(Guid sessionId, CancellationToken cancellationToken);
}
