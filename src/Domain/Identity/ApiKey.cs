using RenderOwl.Domain.Common;

namespace RenderOwl.Domain.Identity;

public enum ApiKeyMode
{
    Live,
    Test,
}

/// <summary>
/// A long-lived credential: <c>rok_live_…</c> or <c>rok_test_…</c> (sandbox). Only its SHA-256 is stored
/// (the key has 256 bits of entropy, so a fast hash is enough), plus a short prefix to recognise it by.
/// </summary>
public sealed class ApiKey
{
    public const int NameMaxLength = 100;

    private ApiKey()
    {
        Name = string.Empty;
        Prefix = string.Empty;
        KeyHash = string.Empty;
    }

    public ApiKeyId Id { get; private set; }
    public UserId UserId { get; private set; }
    public string Name { get; private set; }
    public ApiKeyMode Mode { get; private set; }
    public string Prefix { get; private set; }
    public string KeyHash { get; private set; }
    public DateTimeOffset CreatedAt { get; private set; }
    public DateTimeOffset? LastUsedAt { get; private set; }
    public DateTimeOffset? RevokedAt { get; private set; }

    public static ApiKey Create(UserId userId, string name, ApiKeyMode mode, string prefix, string keyHash, DateTimeOffset now)
    {
        now = Clock.ToStoragePrecision(now);
        return new ApiKey
        {
            Id = TypedId.New<ApiKeyId>(now),
            UserId = userId,
            Name = name.Trim(),
            Mode = mode,
            Prefix = prefix,
            KeyHash = keyHash,
            CreatedAt = now,
        };
    }


    public void Revoke(DateTimeOffset now) => RevokedAt ??= Clock.ToStoragePrecision(now);
}
