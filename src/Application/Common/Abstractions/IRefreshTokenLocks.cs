using RenderOwl.Domain.Identity;

namespace RenderOwl.Application.Common.Abstractions;

/// <summary>A refresh token read under a row lock until the transaction ends: two refreshes with one token never both succeed.</summary>
public interface IRefreshTokenLocks
{
    Task<RefreshToken?> LockAsync(string tokenHash, CancellationToken cancellationToken);
}
