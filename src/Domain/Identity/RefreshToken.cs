using RenderOwl.Domain.Common;

namespace RenderOwl.Domain.Identity;

/// <summary>
/// One link of a rotating refresh-token family. Only the SHA-256 of the token is stored. Presenting a
/// token that was already rotated means it leaked: the whole family is revoked.
/// </summary>
public sealed class RefreshToken
{
    private RefreshToken()
    {
        TokenHash = string.Empty;
    }

    public Guid Id { get; private set; }
    public UserId UserId { get; private set; }
    public Guid FamilyId { get; private set; }
    public string TokenHash { get; private set; }
    public DateTimeOffset CreatedAt { get; private set; }
    public DateTimeOffset ExpiresAt { get; private set; }
    public DateTimeOffset? RotatedAt { get; private set; }
    public DateTimeOffset? RevokedAt { get; private set; }

    public static RefreshToken Issue(UserId userId, Guid? familyId, string tokenHash, DateTimeOffset now, TimeSpan lifetime)
    {
        now = Clock.ToStoragePrecision(now);
        return new RefreshToken
        {
            Id = Guid.CreateVersion7(now),
            UserId = userId,
            FamilyId = familyId ?? Guid.CreateVersion7(now),
            TokenHash = tokenHash,
            CreatedAt = now,
            ExpiresAt = now + lifetime,
        };
    }

    public bool IsUsable(DateTimeOffset now) => RotatedAt is null && RevokedAt is null && ExpiresAt > now;

    public bool WasRotated => RotatedAt is not null;

    public void MarkRotated(DateTimeOffset now)
    {
        if (RotatedAt is not null || RevokedAt is not null)
        {
            throw new DomainRuleException("refresh_token_spent", "The refresh token was already used or revoked.");
        }
        RotatedAt = Clock.ToStoragePrecision(now);
    }

    public void Revoke(DateTimeOffset now) => RevokedAt ??= Clock.ToStoragePrecision(now);
}
