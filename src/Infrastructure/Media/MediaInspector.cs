using System.Buffers.Binary;
using System.Globalization;
using System.Text;
using System.Text.Json;
using Microsoft.Extensions.Options;
using RenderOwl.Application.Common.Media;
using RenderOwl.Application.Common.Errors;
using RenderOwl.Application.Rendering;
using RenderOwl.Domain.Assets;
using RenderOwl.Infrastructure.Rendering;

namespace RenderOwl.Infrastructure.Media;

/// <summary>
/// Decides what an untrusted file is from its bytes: the magic number names the type, image dimensions are
/// read from the header before any decoder touches the file (so a 1×1,000,000,000 "decompression bomb" is
/// refused unread), and ffprobe — with a time limit — must then agree and supply dimensions and duration.
/// </summary>
public sealed class MediaInspector(IOptions<RenderingOptions> options) : IMediaInspector
{
    private readonly RenderingOptions _options = options.Value;

    public async Task<InspectedMedia> InspectAsync(string path, CancellationToken cancellationToken)
    {
        var head = new byte[64];
        int length;
        await using (var file = File.OpenRead(path))
        {
            length = await file.ReadAtLeastAsync(head, head.Length, throwOnEndOfStream: false, cancellationToken);
        }
        var (kind, contentType) = Sniff(head.AsSpan(0, length))
            ?? throw Unsupported("The content is not a supported image, video or audio format.");
        if (kind == AssetKind.Image && HeaderDimensions(path, contentType) is { } dims)
        {
            if (dims.Width <= 0 || dims.Height <= 0 || dims.Width > _options.MaxImageSide || dims.Height > _options.MaxImageSide
                || (long)dims.Width * dims.Height > _options.MaxImagePixels)
            {
                throw Unsupported($"The image is {dims.Width}×{dims.Height} pixels; at most {_options.MaxImageSide} per side and {_options.MaxImagePixels:N0} pixels are accepted.");
            }
        }
        MediaProbe probe;
        try
        {
            probe = await ProbeAsync(path, cancellationToken);
        }
        catch (RenderFailedException)
        {
            throw Unsupported("ffprobe cannot read the file.");
        }
        switch (kind)
        {
            case AssetKind.Image when probe.Width is null:
            case AssetKind.Video when probe.VideoCodec is null || probe.Width is null:
            case AssetKind.Audio when probe.AudioCodec is null:
                throw Unsupported("The file is damaged or is not what its header says.");
        }
        return new InspectedMedia(kind, contentType, probe.Width, probe.Height, kind == AssetKind.Image ? null : probe.DurationSeconds);
    }

    public async Task<MediaProbe> ProbeAsync(string path, CancellationToken cancellationToken)
    {
        ProcessResult result;
        try
        {
            result = await ProcessRunner.RunAsync(_options.FfprobePath,
                ["-v", "error", "-probesize", "20M", "-analyzeduration", "10M", "-print_format", "json", "-show_format", "-show_streams", path],
                TimeSpan.FromSeconds(_options.ProbeTimeoutSeconds), cancellationToken);
        }
        catch (TimeoutException ex)
        {
            throw new RenderFailedException("probe_timeout", ex.Message, retryable: true);
        }
        if (result.ExitCode != 0)
        {
            throw new RenderFailedException("probe_failed", "ffprobe could not read the file.", retryable: false, result.StandardError);
        }
        using var json = JsonDocument.Parse(result.StandardOutput);
        var root = json.RootElement;
        string? videoCodec = null, audioCodec = null;
        int? width = null, height = null;
        double? fps = null, duration = null;
        foreach (var stream in root.TryGetProperty("streams", out var s) ? s.EnumerateArray() : default)
        {
            var type = stream.GetProperty("codec_type").GetString();
            if (type == "video" && videoCodec is null)
            {
                videoCodec = stream.TryGetProperty("codec_name", out var c) ? c.GetString() : "unknown";
                width = stream.TryGetProperty("width", out var w) ? w.GetInt32() : null;
                height = stream.TryGetProperty("height", out var h) ? h.GetInt32() : null;
                fps = Rate(stream, "avg_frame_rate") ?? Rate(stream, "r_frame_rate");
                duration = Number(stream, "duration");
            }
            else if (type == "audio" && audioCodec is null)
            {
                audioCodec = stream.TryGetProperty("codec_name", out var c) ? c.GetString() : "unknown";
            }
        }
        var format = root.TryGetProperty("format", out var f) ? f : default;
        var formatName = format.ValueKind == JsonValueKind.Object && format.TryGetProperty("format_name", out var fn) ? fn.GetString() ?? "" : "";
        duration ??= format.ValueKind == JsonValueKind.Object ? Number(format, "duration") : null;
        return new MediaProbe(formatName, videoCodec, audioCodec, width, height, fps, duration);
    }

    private static double? Number(JsonElement e, string name)
        => e.TryGetProperty(name, out var v) && double.TryParse(v.GetString(), NumberStyles.Float, CultureInfo.InvariantCulture, out var d) ? d : null;

    private static double? Rate(JsonElement e, string name)
    {
        if (!e.TryGetProperty(name, out var v) || v.GetString() is not { } text || text.Split('/') is not [var n, var d])
        {
            return null;
        }
        return double.TryParse(n, CultureInfo.InvariantCulture, out var num) && double.TryParse(d, CultureInfo.InvariantCulture, out var den) && den > 0 && num > 0
            ? num / den
            : null;
    }

    private static AppException Unsupported(string detail) => new(ErrorCatalog.UnsupportedMedia, detail);

    /// <summary>The type by magic number. Names and declared types are never consulted.</summary>
    public static (AssetKind Kind, string ContentType)? Sniff(ReadOnlySpan<byte> b)
    {
        static bool At(ReadOnlySpan<byte> b, int offset, string ascii)
            => b.Length >= offset + ascii.Length && b.Slice(offset, ascii.Length).SequenceEqual(Encoding.ASCII.GetBytes(ascii));

        if (b.Length >= 8 && b[..8].SequenceEqual(new byte[] { 0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A })) { return (AssetKind.Image, "image/png"); }
        if (b.Length >= 3 && b[0] == 0xFF && b[1] == 0xD8 && b[2] == 0xFF) { return (AssetKind.Image, "image/jpeg"); }
        if (At(b, 0, "RIFF") && At(b, 8, "WEBP")) { return (AssetKind.Image, "image/webp"); }
        if (At(b, 0, "GIF87a") || At(b, 0, "GIF89a")) { return (AssetKind.Image, "image/gif"); }
        if (At(b, 0, "RIFF") && At(b, 8, "WAVE")) { return (AssetKind.Audio, "audio/wav"); }
        if (At(b, 0, "OggS")) { return (AssetKind.Audio, "audio/ogg"); }
        if (At(b, 0, "ID3") || (b.Length >= 2 && b[0] == 0xFF && (b[1] & 0xE0) == 0xE0)) { return (AssetKind.Audio, "audio/mpeg"); }
        if (b.Length >= 4 && b[0] == 0x1A && b[1] == 0x45 && b[2] == 0xDF && b[3] == 0xA3) { return (AssetKind.Video, "video/webm"); }
        if (At(b, 4, "ftyp"))
        {
            return At(b, 8, "qt  ") ? (AssetKind.Video, "video/quicktime") : (AssetKind.Video, "video/mp4");
        }
        return null;
    }

    /// <summary>Width and height from the image header, without decoding. Null when the header does not say (ffprobe decides).</summary>
    public static (int Width, int Height)? HeaderDimensions(string path, string contentType)
    {
        Span<byte> b = stackalloc byte[30];
        using var file = File.OpenRead(path);
        var n = file.ReadAtLeast(b, b.Length, throwOnEndOfStream: false);
        b = b[..n];
        switch (contentType)
        {
            case "image/png" when n >= 24:
                return ((int)Math.Min(int.MaxValue, BinaryPrimitives.ReadUInt32BigEndian(b[16..])), (int)Math.Min(int.MaxValue, BinaryPrimitives.ReadUInt32BigEndian(b[20..])));
            case "image/gif" when n >= 10:
                return (BinaryPrimitives.ReadUInt16LittleEndian(b[6..]), BinaryPrimitives.ReadUInt16LittleEndian(b[8..]));
            case "image/webp" when n >= 30 && b[12..16].SequenceEqual("VP8X"u8):
                return (1 + (b[24] | b[25] << 8 | b[26] << 16), 1 + (b[27] | b[28] << 8 | b[29] << 16));
            case "image/jpeg":
                file.Position = 2;
                return JpegDimensions(file);
            default:
                return null;
        }
    }

    private static (int, int)? JpegDimensions(Stream s)
    {
        Span<byte> seg = stackalloc byte[7];
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
                if (s.ReadAtLeast(seg[..5], 5, throwOnEndOfStream: false) < 5)
                {
                    return null;
                }
                return (BinaryPrimitives.ReadUInt16BigEndian(seg[3..]), BinaryPrimitives.ReadUInt16BigEndian(seg[1..]));
            }
            s.Seek(size - 2, SeekOrigin.Current);
            // next marker: skip to 0xFF
            if (s.ReadByte() != 0xFF)
            {
                return null;
            }
        }
        return null;
    }
}
