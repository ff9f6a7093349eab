using System.Globalization;
using System.Text;
using RenderOwl.Application.Rendering;
using RenderOwl.Domain.Common;
using RenderOwl.Domain.Rendering;
using RenderOwl.Infrastructure.Media;

namespace RenderOwl.Infrastructure.Rendering;

/// <summary>One ffmpeg invocation: the argument list and the files it reads that the engine writes first (images drawn for text and shapes).</summary>
public sealed record FfmpegCommand(IReadOnlyList<string> Arguments, IReadOnlyDictionary<string, byte[]> Files)
{
    /// <summary>The files the quality detectors write during the render (video, then audio when there is sound).</summary>
    public IReadOnlyList<string> QualityReports { get; init; } = [];
}

/// <summary>
/// Compiles a composition into one ffmpeg command with a <c>-filter_complex</c> graph. User text never enters
/// the graph: text layers are drawn to images here (SkiaSharp, <see cref="Drawing.TextPainter"/>) that ffmpeg reads
/// as PNG files, so quotes, colons, backslashes, <c>%{…}</c> and newlines render literally and cannot inject filters
/// or options. Everything else in the graph is a number, a validated colour or a server-made path.
/// </summary>
public static class FfmpegCommandBuilder
{
    public const string WatermarkText = "RENDEROWL TEST";
    private const double FadeSeconds = 0.5;

    /// <summary>The one ffmpeg command of a composition. <c>withSound</c>: the video assets that have an audio stream, whose sound is mixed in at the layer's volume.</summary>
    public static FfmpegCommand Build(RenderJob job, string outputPath, string scratchFolder, RenderingOptions options, IReadOnlySet<AssetId>? withSound = null)
    {
        var graph = new FfmpegGraph(job, scratchFolder, options, withSound);
        foreach (var layer in job.Composition.Layers)
        {
            graph.Add(layer);
        }
        return graph.Finish(outputPath);
    }

    /// <summary>The mix alone for the whole output, in its format's sound codec; null when nothing in the composition sounds.</summary>
    public static FfmpegCommand? BuildSound(RenderJob job, string outputPath, string scratchFolder, RenderingOptions options, IReadOnlySet<AssetId>? withSound)
    {
        var graph = new FfmpegGraph(job, scratchFolder, options, withSound, soundOnly: true);
        foreach (var layer in job.Composition.Layers)
        {
            graph.Add(layer);
        }
        return graph.HasSound ? graph.Finish(outputPath) : null;
    }

    /// <summary>
    /// A layer's asset as an input: its sniffed type's demuxer forced, local files only, the decoder's pixel
    /// limit — never libavformat's guess, which would follow a playlist or an ffconcat script hidden in a file.
    /// </summary>
    internal static IEnumerable<string> Open(RenderJob job, Layer layer, RenderingOptions options)
        => MediaFormats.Open(job.AssetFiles[layer.AssetId!.Value], options.MaxImagePixels);

    internal static IEnumerable<string> Encoder(OutputSettings o, bool hasAudio)
    {
        switch (o.Format)
        {
            case OutputFormat.Mp4:
                var (preset, crf) = o.Quality switch { Quality.Draft => ("ultrafast", "30"), Quality.High => ("slow", "18"), _ => ("medium", "23") };
                return ["-c:v", "libx264", "-preset", preset, "-crf", crf, "-pix_fmt", "yuv420p", "-movflags", "+faststart",
                    .. hasAudio ? SoundCodec(o) : [], "-f", "mp4"];
            case OutputFormat.Webm:
                var (cpu, vcrf) = o.Quality switch { Quality.Draft => ("8", "40"), Quality.High => ("2", "24"), _ => ("5", "32") };
                return ["-c:v", "libvpx-vp9", "-b:v", "0", "-crf", vcrf, "-deadline", o.IsDraft ? "realtime" : "good", "-cpu-used", cpu, "-row-mt", "1", "-pix_fmt", "yuv420p",
                    .. hasAudio ? SoundCodec(o) : [], "-f", "webm"];
            case OutputFormat.Gif:
                return ["-f", "gif", "-loop", "0"];
            case OutputFormat.MovAlpha:
                // ProRes 4444 with its alpha channel.
                return ["-c:v", "prores_ks", "-profile:v", "4444", "-pix_fmt", "yuva444p10le", "-alpha_bits", "16", "-vendor", "apl0",
                    .. hasAudio ? SoundCodec(o) : [], "-f", "mov"];
            case OutputFormat.Mp3:
                return [.. SoundCodec(o), "-f", "mp3"];
            case OutputFormat.Png:
                return ["-c:v", "png", "-f", "image2"];
            case OutputFormat.Jpg:
                return ["-c:v", "mjpeg", "-q:v", o.Quality == Quality.Draft ? "8" : "2", "-f", "image2"];
            default:
                throw new ArgumentOutOfRangeException(nameof(o));
        }
    }

    /// <summary>The sound codec of a format with sound, the same in every pass that writes it (the render, a split render's sound, the loudness pass).</summary>
    internal static string[] SoundCodec(OutputSettings o) => o.Format switch
    {
        OutputFormat.Webm => ["-c:a", "libopus", "-b:a", "128k"],
        OutputFormat.MovAlpha => ["-c:a", "pcm_s16le"], // as editors expect in a mezzanine file
        OutputFormat.Mp3 => ["-c:a", "libmp3lame", "-b:a", o.Quality switch { Quality.Draft => "96k", Quality.High => "320k", _ => "192k" },
            "-ar", "48000", "-id3v2_version", "0", "-write_xing", "1"],
        _ => ["-c:a", "aac", "-b:a", o.IsDraft ? "96k" : "160k"],
    };

    /// <summary>The container options of a format with sound.</summary>
    internal static string[] SoundContainer(OutputSettings o) => o.Format switch
    {
        OutputFormat.Webm => ["-f", "webm"],
        OutputFormat.MovAlpha => ["-f", "mov"],
        OutputFormat.Mp3 => ["-f", "mp3"],
        _ => ["-movflags", "+faststart", "-f", "mp4"],
    };

    /// <summary>The sound of a segmented render alone, in the output format's sound codec and container (muxed with the joined picture).</summary>
    internal static IEnumerable<string> SoundEncoder(OutputSettings o) => [.. SoundCodec(o), .. SoundContainer(o)];

    /// <summary>A frame rate as ffmpeg reads it: whole numbers as they are; 23.976, 29.97 and 59.94 as the exact NTSC fractions (×1000/1001).</summary>
    public static string Rate(double fps)
    {
        if (Math.Abs(fps - Math.Round(fps)) < 1e-9)
        {
            return ((int)Math.Round(fps)).ToString(CultureInfo.InvariantCulture);
        }
        var ntsc = Math.Round(fps * 1.001);
        return Math.Abs(ntsc * 1000 / 1001 - fps) < 0.001
            ? $"{(int)ntsc * 1000}/1001"
            : N(fps);
    }

    /// <summary>Invariant, short decimal text: 2.5 → "2.5", 1/3 → "0.333333".</summary>
    internal static string N(double value) => value.ToString("0.######", CultureInfo.InvariantCulture);

    /// <summary>#RRGGBB → 0xRRGGBB, #RRGGBBAA → 0xRRGGBB@alpha. The validator admits nothing else.</summary>
    public static string Color(string hex)
    {
        var h = hex.TrimStart('#');
        if (h.Length is not (6 or 8) || !h.All(char.IsAsciiHexDigit))
        {
            throw new ArgumentException($"Not a colour: {hex}");
        }
        return h.Length == 8
            ? $"0x{h[..6]}@{N(Convert.ToInt32(h[6..], 16) / 255.0)}"
            : "0x" + h;
    }

    internal static string SafePath(string path)
        => path.All(ch => char.IsAsciiLetterOrDigit(ch) || ch is '/' or '.' or '-' or '_')
            ? path
            : throw new ArgumentException($"Unsafe path for a filter graph: {path}");

    internal static string Opacity(Layer layer)
        => layer.Opacity is { } a && a < 1 ? $"colorchannelmixer=aa={N(Math.Clamp(a, 0, 1))}," : "";

    internal static string Fades(Layer layer, double start, double end)
    {
        var fade = Math.Min(FadeSeconds, (end - start) / 2);
        var s = new StringBuilder();
        if (layer.Animation is Animation.FadeIn or Animation.FadeInOut)
        {
            s.Append(CultureInfo.InvariantCulture, $"fade=t=in:st=0:d={N(fade)}:alpha=1,");
        }
        if (layer.Animation is Animation.FadeOut or Animation.FadeInOut)
        {
            s.Append(CultureInfo.InvariantCulture, $"fade=t=out:st={N(end - start - fade)}:d={N(fade)}:alpha=1,");
        }
        return s.ToString();
    }
}
