using System.Buffers.Binary;
using System.IO.Compression;
using System.Text;

namespace RenderOwl.Api.IntegrationTests.Infrastructure;

/// <summary>The crafted files of the security probes (issue 9), made by the test itself.</summary>
public static class HostileMedia
{
    /// <summary>An ID3v2.4 header with no frames: ten bytes that a guessing demuxer skips.</summary>
    private static readonly byte[] Id3 = [(byte)'I', (byte)'D', (byte)'3', 4, 0, 0, 0, 0, 0, 0];

    /// <summary>ID3 + an ffconcat script naming <paramref name="fileName"/> in the same folder.</summary>
    public static byte[] Id3Concat(string fileName) => [.. Id3, .. Encoding.ASCII.GetBytes($"ffconcat version 1.0\nfile {fileName}\n")];

    /// <summary>ID3 + an HLS playlist whose one segment is a local file.</summary>
    public static byte[] Id3Playlist(string path)
        => [.. Id3, .. Encoding.ASCII.GetBytes($"#EXTM3U\n#EXT-X-TARGETDURATION:10\n#EXTINF:10.0,\nfile://{path}\n#EXT-X-ENDLIST\n")];

    /// <summary>
    /// A real, decodable PNG of <paramref name="width"/>×<paramref name="height"/> (1-bit grey, so it is small to
    /// make and small on the wire). With <paramref name="decoyFirst"/> a private ancillary chunk stands before
    /// IHDR whose first eight bytes read as 64×48 to a check that assumes IHDR is first; ffmpeg skips it.
    /// </summary>
    public static byte[] Png(int width, int height, bool decoyFirst)
    {
        using var png = new MemoryStream();
        png.Write([0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A]);
        if (decoyFirst)
        {
            Chunk(png, "teSt", [0, 0, 0, 64, 0, 0, 0, 48]);
        }
        var ihdr = new byte[13];
        BinaryPrimitives.WriteUInt32BigEndian(ihdr, (uint)width);
        BinaryPrimitives.WriteUInt32BigEndian(ihdr.AsSpan(4), (uint)height);
        ihdr[8] = 1; // bit depth 1, colour type 0 (grey)
        Chunk(png, "IHDR", ihdr);
        using (var raw = new MemoryStream())
        {
            using (var z = new ZLibStream(raw, CompressionLevel.Fastest, leaveOpen: true))
            {
                var row = new byte[1 + ((width + 7) / 8)]; // filter byte 0, then black pixels
                for (var y = 0; y < height; y++)
                {
                    z.Write(row);
                }
            }
            Chunk(png, "IDAT", raw.ToArray());
        }
        Chunk(png, "IEND", []);
        return png.ToArray();
    }

    /// <summary>A PNG with a valid IHDR and garbage where its image data should be.</summary>
    public static byte[] PngWithGarbage()
    {
        var valid = Png(64, 64, decoyFirst: false);
        var garbage = new byte[4096];
        new Random(9).NextBytes(garbage);
        return [.. valid.AsSpan(0, 8 + 25), .. garbage];
    }

    /// <summary>A 38-byte lossless WebP (VP8L) that claims <paramref name="side"/>×<paramref name="side"/>.</summary>
    public static byte[] WebPLossless(int side)
    {
        var bits = (uint)(side - 1) | ((uint)(side - 1) << 14);
        byte[] payload = [0x2F, .. BitConverter.GetBytes(bits), .. new byte[13]];
        byte[] riff = [.. "WEBP"u8, .. "VP8L"u8, .. BitConverter.GetBytes(payload.Length), .. payload];
        return [.. "RIFF"u8, .. BitConverter.GetBytes(riff.Length), .. riff];
    }

    /// <summary>A fast-start MP4 (index first) cut in half: the index promises packets the file lacks.</summary>
    public static byte[] TruncatedFastStartMp4()
    {
        var full = TestMedia.FastStartMp4;
        return full[..(full.Length / 2)];
    }

    private static void Chunk(Stream s, string type, byte[] data)
    {
        Span<byte> length = stackalloc byte[4];
        BinaryPrimitives.WriteUInt32BigEndian(length, (uint)data.Length);
        s.Write(length);
        byte[] typed = [.. Encoding.ASCII.GetBytes(type), .. data];
        s.Write(typed);
        BinaryPrimitives.WriteUInt32BigEndian(length, System.IO.Hashing.Crc32.HashToUInt32(typed));
        s.Write(length);
    }
}
