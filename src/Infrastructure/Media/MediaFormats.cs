using System.Globalization;
using RenderOwl.Application.Common.Media;

namespace RenderOwl.Infrastructure.Media;

/// <summary>
/// The one demuxer each accepted content type is read with, and the input options that go before every user
/// file on an ffmpeg or ffprobe command line. Forcing the demuxer keeps libavformat from guessing, so no
/// playlist or script demuxer (hls, concat, ffconcat, image2 patterns …) can be reached from a user's file,
/// whatever bytes follow its header; <c>-protocol_whitelist file</c> keeps a forced demuxer from opening
/// anything but a local file. See docs/security.md ("Disguised media").
/// </summary>
public static class MediaFormats
{
    private static readonly Dictionary<string, string> Demuxers = new(StringComparer.Ordinal)
    {
        ["image/png"] = "png_pipe",
        ["image/jpeg"] = "jpeg_pipe",
        ["image/webp"] = "webp_pipe",
        ["image/gif"] = "gif",
        ["audio/mpeg"] = "mp3",
        ["audio/wav"] = "wav",
        ["audio/ogg"] = "ogg",
        ["video/mp4"] = "mov",
        ["video/quicktime"] = "mov",
        ["video/webm"] = "matroska",
    };

    /// <summary>The content types an upload may have.</summary>
    public static IReadOnlyCollection<string> ContentTypes => Demuxers.Keys;

    /// <summary>The demuxer for a sniffed content type; an unknown type is a programming error, never a guess.</summary>
    public static string Demuxer(string contentType)
        => Demuxers.TryGetValue(contentType, out var demuxer)
            ? demuxer
            : throw new ArgumentException($"No demuxer is allowed for '{contentType}'.", nameof(contentType));

    /// <summary>
    /// The options that open one user file: local files only, the forced demuxer, no external references for
    /// QuickTime, and the decoder's own pixel limit (the second wall behind the header check at upload).
    /// </summary>
    public static IReadOnlyList<string> InputOptions(string contentType, long maxPixels)
    {
        var demuxer = Demuxer(contentType);
        var options = new List<string> { "-protocol_whitelist", "file", "-f", demuxer };
        if (demuxer == "mov")
        {
            options.AddRange(["-enable_drefs", "0"]);
        }
        options.AddRange(["-max_pixels", maxPixels.ToString(CultureInfo.InvariantCulture)]);
        return options;
    }

    /// <summary>The options and path of one user file, ready to follow <c>ffprobe</c> or to precede nothing but <c>-i</c>.</summary>
    public static IEnumerable<string> Open(MediaFile file, long maxPixels) => [.. InputOptions(file.ContentType, maxPixels), "-i", file.Path];
}
