using System.Text;
using RenderOwl.Domain.Assets;

namespace RenderOwl.Infrastructure.Media;

/// <summary>
/// Decides what an untrusted file is from its structure, never from its name or declared type. A magic number
/// alone is not enough where a demuxer would skip past it: an MP3 must carry MPEG audio frames right after
/// its ID3 tag (a tag followed by a playlist or an ffconcat script is not an MP3), and a RIFF file must name
/// its form and its first chunk.
/// </summary>
public static class MediaSniffer
{
    /// <summary>How far past the ID3 tag the first of two chained MPEG frames may start (zero padding, junk from taggers).</summary>
    private const int FrameSearchBytes = 64 * 1024;

    public static (AssetKind Kind, string ContentType)? Sniff(string path)
    {
        using var file = File.OpenRead(path);
        var head = new byte[64];
        var length = file.ReadAtLeast(head, head.Length, throwOnEndOfStream: false);
        return Sniff(head.AsSpan(0, length), file);
    }

    /// <summary>The type from the first bytes; <paramref name="file"/> is read further where the structure must be followed.</summary>
    public static (AssetKind Kind, string ContentType)? Sniff(ReadOnlySpan<byte> b, Stream file)
    {
        if (b.Length >= 8 && b[..8].SequenceEqual(new byte[] { 0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A })) { return (AssetKind.Image, "image/png"); }
        if (b.Length >= 3 && b[0] == 0xFF && b[1] == 0xD8 && b[2] == 0xFF) { return (AssetKind.Image, "image/jpeg"); }
        if (At(b, 0, "RIFF") && At(b, 8, "WEBP")) { return (AssetKind.Image, "image/webp"); }
        if (At(b, 0, "GIF87a") || At(b, 0, "GIF89a")) { return (AssetKind.Image, "image/gif"); }
        if (At(b, 0, "RIFF") && At(b, 8, "WAVE") && (At(b, 12, "fmt ") || At(b, 12, "JUNK") || At(b, 12, "LIST") || At(b, 12, "bext"))) { return (AssetKind.Audio, "audio/wav"); }
        if (At(b, 0, "OggS")) { return (AssetKind.Audio, "audio/ogg"); }
        if (b.Length >= 4 && b[0] == 0x1A && b[1] == 0x45 && b[2] == 0xDF && b[3] == 0xA3) { return (AssetKind.Video, "video/webm"); }
        if (At(b, 4, "ftyp"))
        {
            return At(b, 8, "qt  ") ? (AssetKind.Video, "video/quicktime") : (AssetKind.Video, "video/mp4");
        }
        if (At(b, 0, "ID3") || (b.Length >= 2 && b[0] == 0xFF && (b[1] & 0xE0) == 0xE0))
        {
            return IsMpegAudio(b, file) ? (AssetKind.Audio, "audio/mpeg") : null;
        }
        return null;
    }

    private static bool At(ReadOnlySpan<byte> b, int offset, string ascii)
        => b.Length >= offset + ascii.Length && b.Slice(offset, ascii.Length).SequenceEqual(Encoding.ASCII.GetBytes(ascii));

    /// <summary>An optional ID3v2 tag, then two MPEG audio frames in a row (or one that ends the file).</summary>
    private static bool IsMpegAudio(ReadOnlySpan<byte> head, Stream file)
    {
        long audioStart = 0;
        if (At(head, 0, "ID3"))
        {
            // ID3v2: "ID3", version (2–4), revision, flags, size as four 7-bit bytes; a footer adds 10.
            if (head.Length < 10 || head[3] is < 2 or > 4 || head[6] >= 0x80 || head[7] >= 0x80 || head[8] >= 0x80 || head[9] >= 0x80)
            {
                return false;
            }
            var size = (head[6] << 21) | (head[7] << 14) | (head[8] << 7) | head[9];
            audioStart = 10 + size + ((head[5] & 0x10) != 0 ? 10 : 0);
        }
        if (audioStart >= file.Length)
        {
            return false;
        }
        file.Position = audioStart;
        var window = new byte[(int)Math.Min(FrameSearchBytes + 4, file.Length - audioStart)];
        var read = file.ReadAtLeast(window, window.Length, throwOnEndOfStream: false);
        for (var i = 0; i + 4 <= read; i++)
        {
            if (FrameLength(window.AsSpan(i)) is not { } length)
            {
                continue;
            }
            var next = audioStart + i + length;
            if (next == file.Length)
            {
                return true; // a single frame that ends the file
            }
            if (next + 4 > file.Length)
            {
                continue;
            }
            var second = new byte[4];
            file.Position = next;
            if (file.ReadAtLeast(second, 4, throwOnEndOfStream: false) == 4 && FrameLength(second) is not null)
            {
                return true;
            }
        }
        return false;
    }

    private static readonly int[][] Bitrates =
    [
        [0, 32, 64, 96, 128, 160, 192, 224, 256, 288, 320, 352, 384, 416, 448], // MPEG-1 layer I
        [0, 32, 48, 56, 64, 80, 96, 112, 128, 160, 192, 224, 256, 320, 384],    // MPEG-1 layer II
        [0, 32, 40, 48, 56, 64, 80, 96, 112, 128, 160, 192, 224, 256, 320],     // MPEG-1 layer III
        [0, 32, 48, 56, 64, 80, 96, 112, 128, 144, 160, 176, 192, 224, 256],    // MPEG-2/2.5 layer I
        [0, 8, 16, 24, 32, 40, 48, 56, 64, 80, 96, 112, 128, 144, 160],         // MPEG-2/2.5 layers II and III
    ];

    private static readonly int[][] SampleRates = [[11025, 12000, 8000], [0, 0, 0], [22050, 24000, 16000], [44100, 48000, 32000]];

    /// <summary>The length in bytes of the MPEG audio frame whose header starts <paramref name="h"/>, or null when it is not one.</summary>
    public static int? FrameLength(ReadOnlySpan<byte> h)
    {
        if (h.Length < 4 || h[0] != 0xFF || (h[1] & 0xE0) != 0xE0)
        {
            return null;
        }
        var version = (h[1] >> 3) & 3; // 0: 2.5, 1: reserved, 2: MPEG-2, 3: MPEG-1
        var layer = (h[1] >> 1) & 3;   // 1: III, 2: II, 3: I, 0: reserved
        var bitrateIndex = h[2] >> 4;
        var rateIndex = (h[2] >> 2) & 3;
        if (version == 1 || layer == 0 || bitrateIndex is 0 or 15 || rateIndex == 3 || (h[3] & 3) == 2)
        {
            return null; // reserved values, or "free format" which a sniffer cannot chain
        }
        var mpeg1 = version == 3;
        var table = mpeg1 ? 3 - layer : (layer == 3 ? 3 : 4);
        var bitrate = Bitrates[table][bitrateIndex] * 1000;
        var sampleRate = SampleRates[version][rateIndex];
        var padding = (h[2] >> 1) & 1;
        return layer switch
        {
            3 => ((12 * bitrate / sampleRate) + padding) * 4,
            1 when !mpeg1 => (72 * bitrate / sampleRate) + padding,
            _ => (144 * bitrate / sampleRate) + padding,
        };
    }
}
