using System.Buffers.Binary;
using System.Security.Cryptography;
using Microsoft.IdentityModel.Tokens;
using RenderOwl.Application.Common.Abstractions;

namespace RenderOwl.Infrastructure.Security;

/// <summary>
/// Cursor = base64url(created_at µs ‖ id ‖ HMAC-SHA256[0..16]). Any change to it fails the MAC. Made with the current
/// key; a cursor made with one of the previous keys (<c>Pagination:PreviousCursorKeys</c>, a rotation) is still read.
/// </summary>
public sealed class CursorCodec(byte[] key, IReadOnlyList<byte[]>? previousKeys = null) : ICursorCodec
{
    private const int PayloadLength = 8 + 16;
    private const int MacLength = 16;

    public string Encode(DateTimeOffset createdAt, Guid id)
    {
        Span<byte> buffer = stackalloc byte[PayloadLength + MacLength];
        BinaryPrimitives.WriteInt64BigEndian(buffer, createdAt.UtcTicks);
        id.TryWriteBytes(buffer[8..], bigEndian: true, out _);
        Span<byte> mac = stackalloc byte[32];
        HMACSHA256.HashData(key, buffer[..PayloadLength], mac);
        mac[..MacLength].CopyTo(buffer[PayloadLength..]);
        return Base64UrlEncoder.Encode(buffer.ToArray());
    }

    public bool TryDecode(string cursor, out DateTimeOffset createdAt, out Guid id)
    {
        createdAt = default;
        id = default;
        byte[] bytes;
        try
        {
            bytes = cursor.Length is > 0 and < 200 ? Base64UrlEncoder.DecodeBytes(cursor) : [];
        }
        catch (FormatException)
        {
            return false;
        }
        if (bytes.Length != PayloadLength + MacLength)
        {
            return false;
        }
        if (!Signed(key, bytes) && !(previousKeys ?? []).Any(previous => Signed(previous, bytes)))
        {
            return false;
        }
        var ticks = BinaryPrimitives.ReadInt64BigEndian(bytes);
        if (ticks < DateTimeOffset.MinValue.UtcTicks || ticks > DateTimeOffset.MaxValue.UtcTicks)
        {
            return false;
        }
        createdAt = new DateTimeOffset(ticks, TimeSpan.Zero);
        id = new Guid(bytes.AsSpan(8, 16), bigEndian: true);
        return true;
    }

    private static bool Signed(byte[] key, byte[] bytes)
    {
        Span<byte> mac = stackalloc byte[32];
        HMACSHA256.HashData(key, bytes.AsSpan(0, PayloadLength), mac);
        return CryptographicOperations.FixedTimeEquals(mac[..MacLength], bytes.AsSpan(PayloadLength));
    }
}
