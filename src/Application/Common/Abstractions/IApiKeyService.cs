using RenderOwl.Domain.Identity;

namespace RenderOwl.Application.Common.Abstractions;

public sealed record NewApiKey(string Key, string Prefix, string Hash);

public interface IApiKeyService
{
    NewApiKey Generate(ApiKeyMode mode);
}

/// <summary>An API key's holder as authentication sees it.</summary>
public sealed record ApiKeyPrincipal(Guid KeyId, Guid UserId, ApiKeyMode Mode, Tier Tier, Role Role);

/// <summary>Finds the holder of a presented API key (cached, so most requests make no database read); null when unknown or revoked.</summary>
public interface IApiKeyAuthenticator
{
    Task<ApiKeyPrincipal?> FindAsync(string presentedKey, CancellationToken cancellationToken);
}

/// <summary>Notes that a key was used; written to <c>last_used_at</c> in batches, off the request path.</summary>
public interface IApiKeyUsage
{
    void Touch(Guid keyId);
}
