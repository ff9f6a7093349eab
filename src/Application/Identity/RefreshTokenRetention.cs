using RenderOwl.Application.Common;
using RenderOwl.Application.Common.Abstractions;

namespace RenderOwl.Application.Identity;

/// <summary>
/// Expired refresh tokens, daily (the seed's CLEANUP_TOKENS). A revoked or rotated token is kept until it expires: until
/// then, presenting it again is how reuse is detected (it revokes the whole family).
/// </summary>
public sealed class RefreshTokenRetention(IAppDbContext db) : IRetentionPolicy
{
    public string Name => "refresh_tokens";

    public Task<int> ApplyAsync(DateTimeOffset now, CancellationToken cancellationToken)
        => Chunks.DeleteAsync(() => db.RefreshTokens.Where(t => t.ExpiresAt < now).OrderBy(t => t.ExpiresAt).Take(IRetentionPolicy.ChunkSize), cancellationToken);
}
