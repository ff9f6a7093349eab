using System.Globalization;
using System.Security.Cryptography;
using System.Text;

namespace RenderOwl.Application.Webhooks;

/// <summary>
/// Standard Webhooks 1.0 signing: <c>webhook-signature: v1,&lt;base64 HMAC-SHA256(key, "id.timestamp.body")&gt;</c>, the key
/// being the base64-decoded part of the <c>whsec_</c> secret; one <c>v1,…</c> per signing secret, space-separated.
/// </summary>
public static class WebhookSigner
{
    public const string SecretPrefix = "whsec_";

    public static string NewSecret() => SecretPrefix + Convert.ToBase64String(RandomNumberGenerator.GetBytes(32));

    public static Dictionary<string, string> Headers(string eventId, string deliveryId, DateTimeOffset now, string body, IEnumerable<string> secrets)
    {
        var timestamp = now.ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture);
        return new Dictionary<string, string>
        {
            ["webhook-id"] = eventId,
            ["webhook-timestamp"] = timestamp,
            ["webhook-signature"] = string.Join(' ', secrets.Select(s => "v1," + Sign(s, eventId, timestamp, body))),
            ["RenderOwl-Delivery-Id"] = deliveryId,
        };
    }

    public static string Sign(string secret, string eventId, string timestamp, string body)
    {
        var key = Convert.FromBase64String(secret.StartsWith(SecretPrefix, StringComparison.Ordinal) ? secret[SecretPrefix.Length..] : secret);
        return Convert.ToBase64String(HMACSHA256.HashData(key, Encoding.UTF8.GetBytes($"{eventId}.{timestamp}.{body}")));
    }
}
