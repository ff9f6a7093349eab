using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using RenderOwl.Application.Common.Abstractions;
using RenderOwl.Application.Common.Errors;

namespace RenderOwl.Application.Identity;

/// <summary>
/// The step-up check of sensitive actions: a session signed in within <see cref="AuthOptions.ReauthMaxAgeMinutes"/>,
/// or the account's current password sent with the request. A stolen access token alone — or an API key —
/// cannot mint credentials that outlive it.
/// </summary>
public sealed class RecentAuthentication(IAppDbContext db, ICurrentUser current, IPasswordHasher hasher, IOptions<AuthOptions> options, TimeProvider clock)
{
    public async Task EnsureAsync(string? password, CancellationToken cancellationToken)
    {
        var maxAge = TimeSpan.FromMinutes(options.Value.ReauthMaxAgeMinutes);
        if (string.IsNullOrEmpty(password))
        {
            if (current.AuthenticatedAt is { } at && clock.GetUtcNow() - at <= maxAge)
            {
                return;
            }
            throw new UnauthorizedException(ErrorCatalog.ReauthRequired,
                $"This action needs a sign-in from the last {maxAge.TotalMinutes:0} minutes, or your current password in 'password'.");
        }
        var id = current.Id;
        var hash = await db.Users.Where(u => u.Id == id).Select(u => u.PasswordHash).FirstOrDefaultAsync(cancellationToken);
        if (hash is null || !hasher.Verify(hash, password, out _))
        {
            throw new UnauthorizedException(ErrorCatalog.InvalidCredentials, "The password is not correct.");
        }
    }
}
