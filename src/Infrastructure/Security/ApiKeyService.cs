using System.Security.Cryptography;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.IdentityModel.Tokens;
using RenderOwl.Application.Common.Abstractions;
using RenderOwl.Domain.Identity;
using RenderOwl.Infrastructure.Common;
using RenderOwl.Infrastructure.Persistence;
using StackExchange.Redis;

namespace RenderOwl.Infrastructure.Security;

/// <summary>What an API key stands for, as cached in Redis for the authentication of each request.</summary>

/// <summary>
/// Generates keys and resolves presented ones: Redis first (shared by every instance, so a revocation that
/// deletes the entry is seen by all at once), the database on a miss or while Redis is away.
/// </summary>
public sealed class ApiKeyService(IConnectionMultiplexer redis, IServiceScopeFactory scopes, ILogger<ApiKeyService> logger) : IApiKeyService, IApiKeyAuthenticator
{
    public const string LivePrefix = "rok_live_";
    public const string TestPrefix = "rok_test_";
    private static readonly TimeSpan CacheTtl = TimeSpan.FromMinutes(5);

    public NewApiKey Generate(ApiKeyMode mode)
    {
        var secret = Base64UrlEncoder.Encode(RandomNumberGenerator.GetBytes(32));
        var key = (mode == ApiKeyMode.Test ? TestPrefix : LivePrefix) + secret;
        return new NewApiKey(key, key[..(LivePrefix.Length + 8)], Hash(key));
    }

    public static bool LooksLikeKey(string value)
        => value.StartsWith(LivePrefix, StringComparison.Ordinal) || value.StartsWith(TestPrefix, StringComparison.Ordinal);

    public static string Hash(string key) => Sha256Hex.Of(key);

    private static RedisKey CacheKey(string hash) => "apikey:" + hash;

    public async Task<ApiKeyPrincipal?> FindAsync(string presentedKey, CancellationToken cancellationToken)
    {
        if (!LooksLikeKey(presentedKey) || presentedKey.Length > 100)
        {
            return null;
        }
        var hash = Hash(presentedKey);
        if (redis.IsConnected)
        {
            try
            {
                var cached = await redis.GetDatabase().StringGetAsync(CacheKey(hash));
                Observability.RenderOwlMetrics.CacheRequests.Add(1, new KeyValuePair<string, object?>("cache", "api_key"),
                    new KeyValuePair<string, object?>("result", cached.HasValue ? "hit" : "miss"));
                if (cached.HasValue)
                {
                    return JsonSerializer.Deserialize<ApiKeyPrincipal>((string)cached!);
                }
            }
            catch (Exception ex) when (ex is RedisException or TimeoutException)
            {
                Observability.RenderOwlMetrics.CacheRequests.Add(1, new KeyValuePair<string, object?>("cache", "api_key"), new KeyValuePair<string, object?>("result", "error"));
                logger.LogDebug(ex, "API key cache read failed; using the database");
            }
        }
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<AppDbContext>();
        var principal = await (
                from k in db.ApiKeys.AsNoTracking()
                join u in db.Users.AsNoTracking() on k.UserId equals u.Id
                where k.KeyHash == hash && k.RevokedAt == null
                select new { k.Id, k.UserId, k.Mode, u.Tier, u.Role })
            .FirstOrDefaultAsync(cancellationToken);
        if (principal is null)
        {
            return null;
        }
        var result = new ApiKeyPrincipal(principal.Id.Value, principal.UserId.Value, principal.Mode, principal.Tier, principal.Role);
        if (redis.IsConnected)
        {
            try
            {
                await redis.GetDatabase().StringSetAsync(CacheKey(hash), JsonSerializer.Serialize(result), CacheTtl);
            }
            catch (Exception ex) when (ex is RedisException or TimeoutException)
            {
                logger.LogDebug(ex, "API key cache write failed");
            }
        }
        return result;
    }

    public async Task InvalidateAsync(IEnumerable<string> keyHashes, CancellationToken cancellationToken)
    {
        var keys = keyHashes.Select(CacheKey).ToArray();
        if (keys.Length == 0)
        {
            return;
        }
        try
        {
            await redis.GetDatabase().KeyDeleteAsync(keys);
        }
        catch (Exception ex) when (ex is RedisException or TimeoutException)
        {
            // The entries expire within CacheTtl; until then a revoked key may still pass on cache hits.
            logger.LogWarning(ex, "Could not drop {Count} cached API key lookup(s); they expire within {Ttl}", keys.Length, CacheTtl);
        }
    }
}
