using RenderOwl.Domain.Common;

namespace RenderOwl.Domain.Webhooks;

/// <summary>The account's secret that signs deliveries to renders' own <c>webhook_url</c> (made on first use).</summary>
public sealed class AccountSigningSecret
{
    private AccountSigningSecret()
    {
        Secret = null!;
    }

    public UserId OwnerId { get; private set; }
    public WebhookSecret Secret { get; private set; }
    public DateTimeOffset UpdatedAt { get; private set; }

    public static AccountSigningSecret Create(UserId ownerId, string encryptedSecret, DateTimeOffset now)
        => new() { OwnerId = ownerId, Secret = WebhookSecret.Of(encryptedSecret), UpdatedAt = Clock.ToStoragePrecision(now) };

    public void Rotate(string encryptedSecret, DateTimeOffset now)
    {
        Secret.Rotate(encryptedSecret, now);
        UpdatedAt = Clock.ToStoragePrecision(now);
    }
}
