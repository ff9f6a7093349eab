using RenderOwl.Application.Common.Abstractions;
using RenderOwl.Domain.Identity;

namespace RenderOwl.Application.Identity;

/// <summary>Starts or continues a refresh-token family and issues the pair of tokens a client holds.</summary>
internal static class Sessions
{
    public static AuthResponse Issue(IAppDbContext db, ITokenService tokens, User user, Guid? familyId, DateTimeOffset now)
    {
        var (refresh, hash) = tokens.NewRefreshToken();
        var record = RefreshToken.Issue(user.Id, familyId, hash, now, tokens.RefreshTokenLifetime);
        db.RefreshTokens.Add(record);
        var access = tokens.IssueAccessToken(user, record.FamilyId);
        return new AuthResponse(UserResponse.From(user), access.Token, refresh, access.ExpiresInSeconds);
    }
}
