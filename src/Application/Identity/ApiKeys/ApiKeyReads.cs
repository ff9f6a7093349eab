using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using RenderOwl.Application.Common.Abstractions;
using RenderOwl.Application.Common.Caching;
using RenderOwl.Domain.Common;
using RenderOwl.Domain.Identity;

namespace RenderOwl.Application.Identity.ApiKeys;

/// <summary>An active API key: whose it is and its mode (the holder's tier and role come from <see cref="AccountReads"/>).</summary>
public sealed record ApiKeyView(ApiKeyId KeyId, UserId UserId, ApiKeyMode Mode);

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
        if (await cache.PeekAsync<ApiKeyView>(CachePolicy.Medium, key, cancellationToken) is { } cached)
        {
            return cached;
        }
        var found = await PrimaryLoad.RunAsync(scopes, (db, c) =>
            db.ApiKeys.AsNoTracking().Where(k => k.KeyHash == keyHash && k.RevokedAt == null)
                .Select(k => new ApiKeyView(k.Id, k.UserId, k.Mode)).FirstOrDefaultAsync(c), cancellationToken);
        if (found is not null)
        {
            await cache.SetAsync(CachePolicy.Medium, key, found, [key, CacheKeys.Owner(found.UserId)], cancellationToken);
        }
        return found;
    }
}
