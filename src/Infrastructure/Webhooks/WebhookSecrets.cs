using Microsoft.AspNetCore.DataProtection;
using RenderOwl.Application.Common.Abstractions;
using RenderOwl.Application.Webhooks;

namespace RenderOwl.Infrastructure.Webhooks;

/// <summary>
/// Secrets encrypted with ASP.NET Core Data Protection: its key ring lives in PostgreSQL encrypted with
/// <c>DataProtection:KeyEncryptionKey</c> from configuration (ADR 9), so the database alone does not reveal a secret.
/// </summary>
public sealed class WebhookSecrets(IDataProtectionProvider protection) : IWebhookSecrets
{
    private readonly IDataProtector _protector = protection.CreateProtector("RenderOwl.Webhooks.SigningSecrets.v1");

    public (string Plain, string Encrypted) New()
    {
        var plain = WebhookSigner.NewSecret();
        return (plain, _protector.Protect(plain));
    }

    public string Reveal(string encrypted) => _protector.Unprotect(encrypted);
}
