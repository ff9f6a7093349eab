using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using RenderOwl.Application.Common.Abstractions;
using RenderOwl.Application.Common.Caching;
using RenderOwl.Domain.Common;
using RenderOwl.Domain.Identity;

namespace RenderOwl.Application.Identity.ApiKeys;

/// <summary>
/// An active API key: whose it is, its mode, and the holder's tier and role — what authenticating a request needs, in
/// one cache entry (tagged with the account too, so a tier or role change, or the account's deletion, drops it). Tier and role are null only in an
/// entry written by an older version, which is read again.
/// </summary>
public sealed record ApiKeyView(ApiKeyId KeyId, UserId UserId, ApiKeyMode Mode, Tier? Tier = null, Role? Role = null);

/// <summary>
/// Active API keys by the hash of the key, cached (medium policy) and dropped on revocation on every instance.
/// Unknown keys are not cached: anyone can present any number of them, and they must not push real entries out.
/// </summary>
public sealed class ApiKeyReads(AppCache cache, IServiceScopeFactory scopes) : ICacheWarmer
{
    public string Kind => CacheKeys.ApiKeyKind;

    public async Task<bool> WarmAsync(string id, CancellationToken cancellationToken) => await FindByHashAsync(id, cancellationToken) is not null;

    public async ValueTask<ApiKeyView?> FindByHashAsync(string keyHash, CancellationToken cancellationToken)
    {
        var key = CacheKeys.ApiKey(keyHash);
        if (await cache.PeekAsync<ApiKeyView>(CachePolicy.Medium, key, cancellationToken) is { Tier: not null, Role: not null } cached)
        {
            return cached;
        }
        // The holder's account as AccountReads sees it: one being deleted has no usable keys.
        var found = await PrimaryLoad.RunAsync(scopes, (db, c) =>
            db.ApiKeys.AsNoTracking().Where(k => k.KeyHash == keyHash && k.RevokedAt == null)
                .Join(db.Users.Where(u => u.DeletionRequestedAt == null), k => k.UserId, u => u.Id, (k, u) => new ApiKeyView(k.Id, k.UserId, k.Mode, u.Tier, u.Role))
                .FirstOrDefaultAsync(c), cancellationToken);
        if (found is not null)
        {
            // Two tags, not three: every hit checks each tag's expiration, and whatever drops the owner's entries
            // (an account's deletion) drops its account tag in the same call.
            await cache.SetAsync(CachePolicy.Medium, key, found, [key, CacheKeys.Account(found.UserId)], cancellationToken);
        }
        return found;
    }
}
