using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using Microsoft.Extensions.Options;
using RenderOwl.Domain.Common;

namespace RenderOwl.Application.Rendering.Sharing;

/// <summary><c>Sharing</c>: the key share links are signed with (resolved at start-up like the other keys), and where they point.</summary>
public sealed class SharingOptions
{
    public const string Section = "Sharing";

    /// <summary>Resolved at start-up from <c>Sharing:SigningKey</c> (or the development key file).</summary>
    public byte[] SigningKey { get; set; } = [];

    /// <summary>From <c>Sharing:PreviousSigningKeys</c>: links they signed still open (a key rotation); new links use <see cref="SigningKey"/>.</summary>
    public IReadOnlyList<byte[]> PreviousSigningKeys { get; set; } = [];

    /// <summary>The public origin links start with (<c>https://api.example.com</c>); empty: the origin the request came to.</summary>
    public string? BaseUrl { get; set; }
}

/// <summary>What a share link's token says, once its signature checked out.</summary>
public sealed record ShareToken(RenderId RenderId, DateTimeOffset ExpiresAt, int Epoch);

/// <summary>
/// Share links: <c>/v1/shared/{render}.{expires}.{epoch}.{signature}</c> — the render, when it stops working (Unix
/// seconds), the render's share epoch when it was made (revoking moves the epoch on), and an HMAC-SHA256 of those
/// three with the server's key (base64url). Nothing is stored per link; the signature is compared in constant time.
/// </summary>
public sealed class ShareLinks(IOptions<SharingOptions> options)
{
    public const string PathPrefix = "/v1/shared/";

    public string Token(RenderId render, DateTimeOffset expiresAt, int epoch)
    {
        var payload = Payload(render.Value.ToString("N"), expiresAt.ToUnixTimeSeconds(), epoch);
        return payload + "." + Sign(options.Value.SigningKey, payload);
    }

    /// <summary>The token's claims when it is well formed and signed by this server; null otherwise (tampered, truncated, another key).</summary>
    public ShareToken? Read(string token)
    {
        var parts = token.Split('.');
        if (parts.Length != 4 || !Guid.TryParseExact(parts[0], "N", out var id)
            || !long.TryParse(parts[1], NumberStyles.None, CultureInfo.InvariantCulture, out var expires)
            || !int.TryParse(parts[2], NumberStyles.None, CultureInfo.InvariantCulture, out var epoch))
        {
            return null;
        }
        var payload = Payload(parts[0], expires, epoch);
        var presented = Encoding.ASCII.GetBytes(parts[3]);
        var signed = new[] { options.Value.SigningKey }.Concat(options.Value.PreviousSigningKeys)
            .Any(key => CryptographicOperations.FixedTimeEquals(Encoding.ASCII.GetBytes(Sign(key, payload)), presented));
        return signed ? new ShareToken(new RenderId(id), DateTimeOffset.FromUnixTimeSeconds(expires), epoch) : null;
    }

    private static string Payload(string render, long expires, int epoch)
        => string.Create(CultureInfo.InvariantCulture, $"{render}.{expires}.{epoch}");

    private static string Sign(byte[] key, string payload)
        => Convert.ToBase64String(HMACSHA256.HashData(key, Encoding.ASCII.GetBytes("share:" + payload)))
            .TrimEnd('=').Replace('+', '-').Replace('/', '_');
}
