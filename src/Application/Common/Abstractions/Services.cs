using RenderOwl.Domain.Common;
using RenderOwl.Domain.Identity;

namespace RenderOwl.Application.Common.Abstractions;

public interface ICurrentUser
{
    /// <summary>The authenticated account; throws 401 when the request is anonymous.</summary>
    UserId Id { get; }
    bool IsAuthenticated { get; }
    Role Role { get; }
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
    AccessToken IssueAccessToken(User user, Guid sessionId);
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
