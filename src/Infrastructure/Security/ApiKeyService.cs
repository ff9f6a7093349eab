using System.Security.Cryptography;
using Microsoft.IdentityModel.Tokens;
using RenderOwl.Application.Common.Abstractions;
using RenderOwl.Application.Identity.ApiKeys;
using RenderOwl.Domain.Identity;
using RenderOwl.Infrastructure.Common;

namespace RenderOwl.Infrastructure.Security;

/// <summary>
/// Generates keys and resolves presented ones through the read cache: one entry per key's hash with its holder, tier
/// and role (<see cref="ApiKeyReads"/>; a cached read is one lookup, not two). A revocation drops the key's entry on
/// every instance after its commit; a tier or role change, or an account deletion, drops it through the account's tags.
/// </summary>
public sealed class ApiKeyService(ApiKeyReads keys) : IApiKeyService, IApiKeyAuthenticator
{
    public const string LivePrefix = "rok_live_";
    public const string TestPrefix = "rok_test_";

    public NewApiKey Generate(ApiKeyMode mode)
    {
        var secret = Base64UrlEncoder.Encode(RandomNumberGenerator.GetBytes(32));
        var key = (mode == ApiKeyMode.Test ? TestPrefix : LivePrefix) + secret;
        return new NewApiKey(key, key[..(LivePrefix.Length + 8)], Hash(key));
    }

    public static bool LooksLikeKey(string value)
        => value.StartsWith(LivePrefix, StringComparison.Ordinal) || value.StartsWith(TestPrefix, StringComparison.Ordinal);

    public static string Hash(string key) => Sha256Hex.Of(key);

    public async Task<ApiKeyPrincipal?> FindAsync(string presentedKey, CancellationToken cancellationToken)
    {
        if (!LooksLikeKey(presentedKey) || presentedKey.Length > 100)
        {
            return null;
        }
        if (await keys.FindByHashAsync(Hash(presentedKey), cancellationToken) is not { Tier: { } tier, Role: { } role } key)
        {
            return null;
        }
        return new ApiKeyPrincipal(key.KeyId.Value, key.UserId.Value, key.Mode, tier, role);
    }
}
