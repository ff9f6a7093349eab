using RenderOwl.Domain.Identity;

namespace RenderOwl.Application.Common.Abstractions;

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
