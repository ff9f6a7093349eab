using RenderOwl.Application.Common;
using RenderOwl.Application.Common.Abstractions;

namespace RenderOwl.Application.Identity;

/// <summary>
/// Expired refresh tokens and revoked ones, daily (the seed's CLEANUP_TOKENS). A revoked token whose session is still
/// alive (a rotated one: its family has a live token) is kept until it expires, because presenting it again is how
/// reuse is detected — it revokes the whole family. Once the family has no live token (signed out, revoked, reused,
/// account closed) its revoked tokens have nothing left to protect and go.
/// </summary>
public sealed class RefreshTokenRetention(IAppDbContext db) : IRetentionPolicy
{
    public string Name => "refresh_tokens";

    /// <summary>Two passes, each on an index (one OR of both would read the whole table): the expired, then the revoked of dead families.</summary>
    public async Task<int> ApplyAsync(DateTimeOffset now, CancellationToken cancellationToken)
        => await Chunks.DeleteOldestAsync(db.RefreshTokens.Where(t => t.ExpiresAt < now), t => t.ExpiresAt, cancellationToken)
            + await Chunks.DeleteOldestAsync(db.RefreshTokens
                .Where(t => t.RevokedAt != null && !db.RefreshTokens.Any(live => live.FamilyId == t.FamilyId && live.RevokedAt == null && live.ExpiresAt >= now)),
                t => t.RevokedAt, cancellationToken);
}
