namespace RenderOwl.Domain.Common;

/// <summary>
/// 128-bit values as 26 Crockford base32 characters (the ULID alphabet), most significant first,
/// so the text of a UUIDv7 sorts by its creation time.
/// </summary>
public static class CrockfordBase32
{
    public const int Length = 26;
    private const string Alphabet = "0123456789abcdefghjkmnpqrstvwxyz";

    public static string Encode(Guid value)
    {
        Span<byte> bytes = stackalloc byte[16];
        value.TryWriteBytes(bytes, bigEndian: true, out _);
        var number = System.Buffers.Binary.BinaryPrimitives.ReadUInt128BigEndian(bytes);
        Span<char> chars = stackalloc char[Length];
        for (var i = Length - 1; i >= 0; i--)
        {
            chars[i] = Alphabet[(int)(number & 31)];
            number >>= 5;
        }
        return new string(chars);
    }

    public static bool TryDecode(ReadOnlySpan<char> text, out Guid value)
    {
        value = Guid.Empty;
        if (text.Length != Length)
        {
            return false;
        }
        UInt128 number = 0;
        for (var i = 0; i < Length; i++)
        {
            var digit = DigitOf(text[i]);
            if (digit < 0 || (i == 0 && digit > 7))
            {
                return false; // 26 × 5 = 130 bits: the first character may carry only 3.
            }
            number = (number << 5) | (uint)digit;
        }
        Span<byte> bytes = stackalloc byte[16];
        System.Buffers.Binary.BinaryPrimitives.WriteUInt128BigEndian(bytes, number);
        value = new Guid(bytes, bigEndian: true);
        return true;
    }

    private static int DigitOf(char c) => char.ToLowerInvariant(c) switch
    {
        >= '0' and <= '9' => c - '0',
        'o' => 0,
        'i' or 'l' => 1,
        var l and >= 'a' and <= 'z' => Alphabet.IndexOf(l, StringComparison.Ordinal),
        _ => -1,
    };
}
