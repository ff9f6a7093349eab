namespace RenderOwl.Application.Common.Abstractions;

/// <summary>Signing secrets: made (<c>whsec_</c> + base64 of 32 random bytes), stored encrypted with a key from configuration, revealed only to sign.</summary>
public interface IWebhookSecrets
{
    (string Plain, string Encrypted) New();
    string Reveal(string encrypted);
}
