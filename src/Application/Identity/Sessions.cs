using Microsoft.EntityFrameworkCore;
using RenderOwl.Application.Common.Abstractions;
using RenderOwl.Domain.Identity;

namespace RenderOwl.Application.Identity;

/// <summary>
/// Starts or continues a session — a refresh-token family — and issues the pair of tokens a client holds. The
/// access token names its session (<c>sid</c>) and when the password was last checked in it (<c>auth_time</c>:
/// the login that started the family; refreshing does not make a session fresh).
/// </summary>
internal static class Sessions
{
    public static AuthResponse Issue(IAppDbContext db, ITokenService tokens, User user, Guid? familyId, DateTimeOffset now, DateTimeOffset? authenticatedAt = null)
    {
        var (refresh, hash) = tokens.NewRefreshToken();
        var record = RefreshToken.Issue(user.Id, familyId, hash, now, tokens.RefreshTokenLifetime);
        db.RefreshTokens.Add(record);
        var access = tokens.IssueAccessToken(user, record.FamilyId, authenticatedAt ?? record.CreatedAt);
        return new AuthResponse(UserResponse.From(user), access.Token, refresh, access.ExpiresInSeconds);
    }

    /// <summary>When the session's password check happened: its family's first token.</summary>
    public static Task<DateTimeOffset> AuthenticatedAtAsync(IAppDbContext db, Guid familyId, CancellationToken cancellationToken)
        => db.RefreshTokens.Where(t => t.FamilyId == familyId).MinAsync(t => t.CreatedAt, cancellationToken);

    /// <summary>Ends a session: its tokens are revoked, and once that commits its access tokens are refused on every instance.</summary>
    public static async Task EndAsync(IAppDbContext db, AfterCommit afterCommit, ISessionRevocations revocations, Guid familyId, DateTimeOffset now, CancellationToken cancellationToken)
    {
        await db.RefreshTokens.Where(t => t.FamilyId == familyId && t.RevokedAt == null)
            .ExecuteUpdateAsync(s => s.SetProperty(t => t.RevokedAt, now), cancellationToken);
        await afterCommit.RunAsync("mark session ended", ct => revocations.MarkEndedAsync(familyId, ct), cancellationToken);
    }
}
