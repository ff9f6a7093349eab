using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using RenderOwl.Application.Common.Abstractions;
using RenderOwl.Application.Common.Caching;
using RenderOwl.Domain.Common;
using RenderOwl.Domain.Identity;

namespace RenderOwl.Application.Identity;

/// <summary>An account as every authenticated request needs it (tier, role) and <c>GET /v1/me</c> shows it.</summary>
public sealed record AccountView(UserId Id, string Email, string Name, Tier Tier, Role Role, bool EmailNotifications, DateTimeOffset CreatedAt, DateTimeOffset UpdatedAt);

/// <summary>Accounts by id, cached (medium policy); dropped when the user row changes. An account being deleted reads as absent: its credentials are refused.</summary>
public sealed class AccountReads(AppCache cache, IServiceScopeFactory scopes) : ICacheWarmer
{
    public string Kind => CacheKeys.AccountKind;

    public async Task<bool> WarmAsync(string id, CancellationToken cancellationToken)
        => Guid.TryParseExact(id, "N", out var guid) && await FindAsync(new UserId(guid), cancellationToken) is not null;

    public ValueTask<AccountView?> FindAsync(UserId id, CancellationToken cancellationToken)
    {
        var key = CacheKeys.Account(id);
        return cache.GetOrLoadAsync(CachePolicy.Medium, key, [key, CacheKeys.Owner(id)], ct => PrimaryLoad.RunAsync(scopes, (db, c) =>
            db.Users.AsNoTracking().Where(u => u.Id == id && u.DeletionRequestedAt == null)
                .Select(u => new AccountView(u.Id, u.Email, u.Name, u.Tier, u.Role, u.EmailNotifications, u.CreatedAt, u.UpdatedAt))
                .FirstOrDefaultAsync(c), ct), cancellationToken);
    }
}
