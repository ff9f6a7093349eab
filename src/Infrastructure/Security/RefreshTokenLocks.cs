using Microsoft.EntityFrameworkCore;
using RenderOwl.Application.Common.Abstractions;
using RenderOwl.Domain.Identity;
using RenderOwl.Infrastructure.Persistence;

namespace RenderOwl.Infrastructure.Security;

public sealed class RefreshTokenLocks(AppDbContext db) : IRefreshTokenLocks
{
    public Task<RefreshToken?> LockAsync(string tokenHash, CancellationToken cancellationToken)
        => db.RefreshTokens.FromSql($"SELECT * FROM identity.refresh_tokens WHERE token_hash = {tokenHash} FOR UPDATE").FirstOrDefaultAsync(cancellationToken);
}
