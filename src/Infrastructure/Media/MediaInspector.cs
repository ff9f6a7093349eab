using System.Globalization;
using System.Text.Json;
using Microsoft.Extensions.Options;
using RenderOwl.Application.Common.Errors;
using RenderOwl.Application.Common.Media;
using RenderOwl.Domain.Assets;

namespace RenderOwl.Infrastructure.Media;

/// <summary>
/// Decides what an untrusted file is and whether it can be used, before it becomes an asset: the sniffer
/// names the type from the file's structure; an image's dimensions come from its format's header and are
/// checked against the pixel limits before any decoder runs; then ffprobe — with that type's demuxer forced,
/// local files only and the decoder's own pixel limit — must find the streams the kind needs, a decodable
/// picture for an image, a duration and every packet the container's index promises for audio and video.
/// </summary>
public sealed class MediaInspector(IOptions<MediaOptions> options) : IMediaInspector
{
    private readonly MediaOptions _options = options.Value;

    public async Task<InspectedMedia> InspectAsync(string path, CancellationToken cancellationToken)
    {
        if (TextAssets.Inspect(path) is { } text)
        {
            return text;
        }
        var (kind, contentType) = MediaSniffer.Sniff(path)
            ?? throw Unsupported("The content is not a supported image, video, audio, subtitle (SRT, WebVTT) or font (TTF, OTF) format.");
        (long Width, long Height)? header = null;
        if (kind == AssetKind.Image)
        {
            header = ImageHeaders.Read(path, contentType) ?? throw Unsupported("The image's header cannot be read.");
            CheckPixels(header.Value.Width, header.Value.Height, "image");
        }
        ProbeDetails probe;
        try
        {
            probe = await ProbeCoreAsync(new MediaFile(path, contentType), countPackets: kind != AssetKind.Image, cancellationToken);
        }
        catch (MediaProbeFailedException)
        {
            throw Unsupported("ffprobe cannot read the file as " + contentType + ".");
        }
        var p = probe.Probe;
        switch (kind)
        {
            case AssetKind.Image:
                if (p.Width is not > 0 || p.Height is not > 0)
                {
                    throw Unsupported("The image cannot be decoded.");
                }
                if (contentType != "image/gif" && (p.Width != header!.Value.Width || p.Height != header.Value.Height))
                {
                    throw Unsupported("The image is not what its header says.");
                }
                break;
            case AssetKind.Video:
                if (p.VideoCodec is null || p.Width is not > 0 || p.Height is not > 0)
                {
                    throw Unsupported("The file has no decodable video stream.");
                }
                CheckPixels(p.Width.Value, p.Height.Value, "video frame");
                CheckStream(probe.Video, p.DurationSeconds, "video");
                if (p.AudioCodec is not null)
                {
                    CheckStream(probe.Audio, p.DurationSeconds, "audio");
                }
                break;
            case AssetKind.Audio:
                if (p.AudioCodec is null)
                {
                    throw Unsupported("The file has no audio stream.");
                }
                CheckStream(probe.Audio, p.DurationSeconds, "audio");
                break;
        }
        return new InspectedMedia(kind, contentType, p.Width, p.Height, kind == AssetKind.Image ? null : p.DurationSeconds);
    }

    private void CheckPixels(long width, long height, string what)
    {
        if (width <= 0 || height <= 0 || width > _options.MaxImageSide || height > _options.MaxImageSide || width * height > _options.MaxImagePixels)
        {
            throw Unsupported($"The {what} is {width}×{height} pixels; at most {_options.MaxImageSide} per side and {_options.MaxImagePixels:N0} pixels are accepted.");
        }
    }

    /// <summary>A stream is usable when it lasts and holds every packet its index promises (a truncated upload does not).</summary>
    private static void CheckStream(StreamPackets packets, double? duration, string what)
    {
        if (duration is not > 0)
        {
            throw Unsupported($"The {what} has no duration.");
        }
        if (packets.Read is not > 0)
        {
            throw Unsupported($"The {what} stream holds no data.");
        }
        if (packets.Indexed is { } indexed && packets.Read < indexed)
        {
            throw Unsupported($"The file is truncated: {packets.Read} of its {indexed} {what} packets are present.");
        }
    }

    public async Task<MediaProbe> ProbeAsync(MediaFile file, CancellationToken cancellationToken)
        => (await ProbeCoreAsync(file, countPackets: false, cancellationToken)).Probe;

    private async Task<ProbeDetails> ProbeCoreAsync(MediaFile file, bool countPackets, CancellationToken cancellationToken)
    {
        List<string> arguments = ["-v", "error", "-probesize", "20M", "-analyzeduration", "10M"];
        if (countPackets)
        {
            arguments.Add("-count_packets");
        }
        arguments.AddRange(["-print_format", "json", "-show_format", "-show_streams"]);
        arguments.AddRange(MediaFormats.Open(file, _options.MaxImagePixels));
        ProcessResult result;
        try
        {
            result = await ProcessRunner.RunAsync(_options.FfprobePath, arguments, TimeSpan.FromSeconds(_options.ProbeTimeoutSeconds), cancellationToken);
        }
        catch (TimeoutException ex)
        {
            throw new MediaProbeFailedException("probe_timeout", ex.Message, retryable: true);
        }
        if (result.ExitCode != 0)
        {
            throw new MediaProbeFailedException("probe_failed", "ffprobe could not read the file.", retryable: false, result.StandardError);
        }
        return Parse(result.StandardOutput);
    }

    private static ProbeDetails Parse(string json)
    {
        using var document = JsonDocument.Parse(json);
        var root = document.RootElement;
        string? videoCodec = null, audioCodec = null;
        int? width = null, height = null;
        double? fps = null, duration = null;
        StreamPackets video = default, audio = default;
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
                video = Packets(stream);
            }
            else if (type == "audio" && audioCodec is null)
            {
                audioCodec = stream.TryGetProperty("codec_name", out var c) ? c.GetString() : "unknown";
                audio = Packets(stream);
            }
        }
        var format = root.TryGetProperty("format", out var f) ? f : default;
        var formatName = format.ValueKind == JsonValueKind.Object && format.TryGetProperty("format_name", out var fn) ? fn.GetString() ?? "" : "";
        duration ??= format.ValueKind == JsonValueKind.Object ? Number(format, "duration") : null;
        return new ProbeDetails(new MediaProbe(formatName, videoCodec, audioCodec, width, height, fps, duration), video, audio);
    }

    private static StreamPackets Packets(JsonElement stream)
        => new(Integer(stream, "nb_read_packets"), Integer(stream, "nb_frames") is > 0 and var n ? n : null);

    private static long? Integer(JsonElement e, string name)
        => e.TryGetProperty(name, out var v) && long.TryParse(v.GetString(), NumberStyles.Integer, CultureInfo.InvariantCulture, out var n) ? n : null;

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

    private static BadRequestException Unsupported(string detail) => new(ErrorCatalog.UnsupportedMedia, detail);

    /// <summary>Packets ffprobe read of a stream, and how many the container's index says it has (null: no index).</summary>
    private readonly record struct StreamPackets(long? Read, long? Indexed);

    private sealed record ProbeDetails(MediaProbe Probe, StreamPackets Video, StreamPackets Audio);
}
