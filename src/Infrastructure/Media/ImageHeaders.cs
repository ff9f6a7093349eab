using System.Buffers.Binary;

namespace RenderOwl.Infrastructure.Media;

/// <summary>
/// Width and height of an image from its format's own header, read the way its decoder will read it and
/// before any decoder runs: the PNG IHDR (which the PNG specification puts first; a file with anything before
/// it is refused rather than guessed at), every WebP bitstream form (VP8, VP8L and VP8X), the GIF logical
/// screen and each frame's descriptor, and the JPEG start-of-frame. Null: the header cannot be read, and the
/// file is refused.
/// </summary>
public static class ImageHeaders
{
    public static (long Width, long Height)? Read(string path, string contentType)
    {
        using var file = File.OpenRead(path);
        return contentType switch
        {
            "image/png" => Png(file),
            "image/webp" => WebP(file),
            "image/gif" => Gif(file),
            "image/jpeg" => Jpeg(file),
            _ => null,
        };
    }

    private static (long, long)? Png(Stream s)
    {
        Span<byte> b = stackalloc byte[24];
        if (s.ReadAtLeast(b, 24, throwOnEndOfStream: false) < 24
            || BinaryPrimitives.ReadUInt32BigEndian(b[8..]) != 13 || !b[12..16].SequenceEqual("IHDR"u8))
        {
            return null;
        }
        return (BinaryPrimitives.ReadUInt32BigEndian(b[16..]), BinaryPrimitives.ReadUInt32BigEndian(b[20..]));
    }

    private static (long, long)? WebP(Stream s)
    {
        Span<byte> b = stackalloc byte[30];
        if (s.ReadAtLeast(b, 30, throwOnEndOfStream: false) < 30)
        {
            return null;
        }
        var chunk = b[12..16];
        if (chunk.SequenceEqual("VP8X"u8))
        {
            return (1 + (b[24] | (b[25] << 8) | (b[26] << 16)), 1 + (b[27] | (b[28] << 8) | (b[29] << 16)));
        }
        if (chunk.SequenceEqual("VP8L"u8))
        {
            if (b[20] != 0x2F)
            {
                return null;
            }
            var bits = BinaryPrimitives.ReadUInt32LittleEndian(b[21..]);
            return (1 + (bits & 0x3FFF), 1 + ((bits >> 14) & 0x3FFF));
        }
        if (chunk.SequenceEqual("VP8 "u8))
        {
            // Frame tag (3 bytes), then a key frame's start code 9d 01 2a and 14-bit width and height.
            if (b[23] != 0x9D || b[24] != 0x01 || b[25] != 0x2A)
            {
                return null;
            }
            return (BinaryPrimitives.ReadUInt16LittleEndian(b[26..]) & 0x3FFF, BinaryPrimitives.ReadUInt16LittleEndian(b[28..]) & 0x3FFF);
        }
        return null;
    }

    /// <summary>The larger of the logical screen and every frame descriptor (a frame may claim more than the screen).</summary>
    private static (long, long)? Gif(Stream s)
    {
        Span<byte> b = stackalloc byte[13];
        if (s.ReadAtLeast(b, 13, throwOnEndOfStream: false) < 13)
        {
            return null;
        }
        long width = BinaryPrimitives.ReadUInt16LittleEndian(b[6..]), height = BinaryPrimitives.ReadUInt16LittleEndian(b[8..]);
        if ((b[10] & 0x80) != 0)
        {
            s.Seek(3L << ((b[10] & 7) + 1), SeekOrigin.Current); // global colour table
        }
        Span<byte> d = stackalloc byte[9];
        for (var guard = 0; guard < 100_000; guard++)
        {
            switch (s.ReadByte())
            {
                case 0x2C: // image descriptor: left, top, width, height, flags
                    if (s.ReadAtLeast(d, 9, throwOnEndOfStream: false) < 9)
                    {
                        return (width, height);
                    }
                    width = Math.Max(width, BinaryPrimitives.ReadUInt16LittleEndian(d[0..]) + (long)BinaryPrimitives.ReadUInt16LittleEndian(d[4..]));
                    height = Math.Max(height, BinaryPrimitives.ReadUInt16LittleEndian(d[2..]) + (long)BinaryPrimitives.ReadUInt16LittleEndian(d[6..]));
                    if ((d[8] & 0x80) != 0)
                    {
                        s.Seek(3L << ((d[8] & 7) + 1), SeekOrigin.Current);
                    }
                    s.ReadByte(); // LZW minimum code size
                    if (!SkipSubBlocks(s))
                    {
                        return (width, height);
                    }
                    break;
                case 0x21: // extension: label, then sub-blocks
                    s.ReadByte();
                    if (!SkipSubBlocks(s))
                    {
                        return (width, height);
                    }
                    break;
                default: // trailer (0x3B), end of file or junk: the frames seen so far are what a decoder reaches
                    return (width, height);
            }
        }
        return (width, height);
    }

    private static bool SkipSubBlocks(Stream s)
    {
        int size;
        while ((size = s.ReadByte()) > 0)
        {
            s.Seek(size, SeekOrigin.Current);
        }
        return size == 0;
    }

    private static (long, long)? Jpeg(Stream s)
    {
        s.Position = 2;
        Span<byte> seg = stackalloc byte[5];
        Span<byte> len = stackalloc byte[2];
        for (var guard = 0; guard < 1000; guard++)
        {
            int marker;
            do { marker = s.ReadByte(); } while (marker == 0xFF);
            if (marker < 0)
            {
                return null;
            }
            if (marker is >= 0xD0 and <= 0xD9 or 0x01)
            {
                continue;
            }
            if (s.ReadAtLeast(len, 2, throwOnEndOfStream: false) < 2)
            {
                return null;
            }
            var size = BinaryPrimitives.ReadUInt16BigEndian(len);
            if (marker is >= 0xC0 and <= 0xCF and not 0xC4 and not 0xC8 and not 0xCC)
            {
                if (s.ReadAtLeast(seg, 5, throwOnEndOfStream: false) < 5)
                {
                    return null;
                }
                return (BinaryPrimitives.ReadUInt16BigEndian(seg[3..]), BinaryPrimitives.ReadUInt16BigEndian(seg[1..]));
            }
            if (size < 2)
            {
                return null;
            }
            s.Seek(size - 2, SeekOrigin.Current);
            if (s.ReadByte() != 0xFF) // the next marker
            {
                return null;
            }
        }
        return null;
    }
}
