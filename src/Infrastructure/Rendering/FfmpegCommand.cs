using System.Globalization;
using System.Text;
using RenderOwl.Application.Rendering;
using RenderOwl.Domain.Common;
using RenderOwl.Domain.Rendering;
using RenderOwl.Infrastructure.Media;

namespace RenderOwl.Infrastructure.Rendering;

/// <summary>One ffmpeg invocation: the argument list and the text files drawtext reads.</summary>
public sealed record FfmpegCommand(IReadOnlyList<string> Arguments, IReadOnlyDictionary<string, string> TextFiles);

/// <summary>
/// Compiles a composition into one ffmpeg command with a <c>-filter_complex</c> graph. User text never enters
/// the graph: it is written to a file that drawtext reads with <c>expansion=none</c>, so quotes, colons,
/// backslashes, <c>%{…}</c> and newlines render literally and cannot inject filters or options. Everything
/// else in the graph is a number, a validated colour or a server-made path.
/// </summary>
public static class FfmpegCommandBuilder
{
    public const string WatermarkText = "RENDEROWL TEST";
    private const double FadeSeconds = 0.5;

    /// <summary>The one ffmpeg command of a composition. <c>withSound</c>: the video assets that have an audio stream, whose sound is mixed in at the layer's volume.</summary>
    public static FfmpegCommand Build(RenderJob job, string outputPath, string scratchFolder, RenderingOptions options, IReadOnlySet<AssetId>? withSound = null)
    {
        var c = job.Composition;
        var o = job.Output;
        var args = new List<string> { "-hide_banner", "-nostdin", "-y", "-loglevel", "error", "-progress", "pipe:1", "-nostats" };
        var graph = new StringBuilder();
        var textFiles = new Dictionary<string, string>();
        var audio = new List<string>();
        var input = 0;

        args.AddRange(["-f", "lavfi", "-i", $"color=c={Color(c.Background)}:s={o.Width}x{o.Height}:r={o.Fps}:d={N(c.Duration)}"]);
        var current = "[0:v]";
        input++;
        var step = 0;

        foreach (var layer in c.Layers)
        {
            var start = layer.Start;
            var end = layer.EndWithin(c.Duration);
            if (end <= start)
            {
                continue;
            }
            var length = end - start;
            var enable = $"enable='between(t,{N(start)},{N(end)})'";
            var next = $"[v{++step}]";
            switch (layer.Type)
            {
                case LayerType.Color:
                {
                    var (w, h) = Box(layer, o);
                    args.AddRange(["-f", "lavfi", "-i", $"color=c={Color(layer.Color!)}:s={w}x{h}:r={o.Fps}:d={N(length)}"]);
                    graph.Append(CultureInfo.InvariantCulture, $"[{input}:v]format=rgba,{Opacity(layer)}{Fades(layer, start, end)}setpts=PTS-STARTPTS+{N(start)}/TB[l{step}];");
                    graph.Append(CultureInfo.InvariantCulture, $"{current}[l{step}]overlay={OverlayXY(layer)}:eof_action=pass:{enable}{next};");
                    input++;
                    break;
                }
                case LayerType.Image:
                {
                    var (w, h) = Box(layer, o);
                    // One decoded frame repeated by the loop filter: an unreadable file fails at once instead of
                    // being re-read forever by the image demuxer's own looping.
                    args.AddRange(Open(job, layer, options));
                    graph.Append(CultureInfo.InvariantCulture,
                        $"[{input}:v]loop=loop=-1:size=1:start=0,setpts=N/({o.Fps}*TB),trim=duration={N(length)},scale={w}:{h},format=rgba,{Opacity(layer)}{Fades(layer, start, end)}setpts=PTS-STARTPTS+{N(start)}/TB[l{step}];");
                    graph.Append(CultureInfo.InvariantCulture, $"{current}[l{step}]overlay={OverlayXY(layer)}:eof_action=pass:{enable}{next};");
                    input++;
                    break;
                }
                case LayerType.Video:
                {
                    var (w, h) = Box(layer, o);
                    args.AddRange(["-ss", N(layer.TrimStart ?? 0), "-t", N(length), .. Open(job, layer, options)]);
                    graph.Append(CultureInfo.InvariantCulture,
                        $"[{input}:v]scale={w}:{h}:force_original_aspect_ratio=decrease,pad={w}:{h}:(ow-iw)/2:(oh-ih)/2:color=black,fps={o.Fps},format=rgba,{Opacity(layer)}{Fades(layer, start, end)}setpts=PTS-STARTPTS+{N(start)}/TB[l{step}];");
                    graph.Append(CultureInfo.InvariantCulture, $"{current}[l{step}]overlay={OverlayXY(layer)}:eof_action=pass:{enable}{next};");
                    if (o.Format != OutputFormat.Gif && (layer.Volume ?? 1) > 0 && withSound?.Contains(layer.AssetId!.Value) == true)
                    {
                        // The clip's own sound, trimmed like its picture by the input's -ss/-t.
                        audio.Add(AudioTrack(graph, input, layer, start, audio.Count));
                    }
                    input++;
                    break;
                }
                case LayerType.Text:
                {
                    var file = Path.Combine(scratchFolder, $"text-{step}.txt");
                    textFiles[file] = layer.Text ?? "";
                    var size = layer.Style?.FontSize ?? Math.Max(12, o.Height / 15);
                    var color = Color(layer.Style?.Color ?? "#ffffff");
                    var box = layer.Style?.BackgroundColor is { } bg ? $":box=1:boxcolor={Color(bg)}:boxborderw={Math.Max(4, size / 4)}" : "";
                    graph.Append(CultureInfo.InvariantCulture,
                        $"{current}drawtext=fontfile={SafePath(options.FontFile)}:textfile={SafePath(file)}:expansion=none:fontsize={size}:fontcolor={color}{box}:{TextXY(layer)}:alpha='{TextAlpha(layer, start, end)}':{enable}{next};");
                    break;
                }
                case LayerType.Audio when o.Format == OutputFormat.Gif:
                    step--; // a GIF has no sound
                    continue;
                case LayerType.Audio:
                {
                    args.AddRange(["-ss", N(layer.TrimStart ?? 0), "-t", N(length), .. Open(job, layer, options)]);
                    audio.Add(AudioTrack(graph, input, layer, start, audio.Count));
                    input++;
                    step--; // no video step
                    continue;
                }
            }
            current = next;
        }

        if (job.Watermark)
        {
            var size = Math.Max(14, o.Height / 12);
            graph.Append(CultureInfo.InvariantCulture,
                $"{current}drawtext=fontfile={SafePath(options.FontFile)}:text='{WatermarkText}':fontsize={size}:fontcolor=white@0.75:box=1:boxcolor=black@0.45:boxborderw={size / 3}:x=(w-text_w)/2:y=h-text_h-h/12[vwm];");
            current = "[vwm]";
        }

        if (o.Format == OutputFormat.Gif)
        {
            graph.Append(CultureInfo.InvariantCulture, $"{current}split[g1][g2];[g1]palettegen=stats_mode=diff[pal];[g2][pal]paletteuse=dither=bayer:bayer_scale=4[vout]");
        }
        else
        {
            graph.Append(CultureInfo.InvariantCulture, $"{current}format=yuv420p[vout]");
        }
        var hasAudio = audio.Count > 0 && o.Format != OutputFormat.Gif;
        if (hasAudio)
        {
            graph.Append(CultureInfo.InvariantCulture, $";{string.Concat(audio)}amix=inputs={audio.Count}:normalize=0:duration=longest,apad,atrim=0:{N(c.Duration)}[aout]");
        }

        args.AddRange(["-filter_complex", graph.ToString(), "-map", "[vout]"]);
        if (hasAudio)
        {
            args.AddRange(["-map", "[aout]"]);
        }
        args.AddRange(["-t", N(c.Duration), "-r", o.Fps.ToString(CultureInfo.InvariantCulture)]);
        if (options.Threads > 0)
        {
            args.AddRange(["-threads", options.Threads.ToString(CultureInfo.InvariantCulture)]);
        }
        args.AddRange(Encoder(o, hasAudio));
        args.Add(outputPath);
        return new FfmpegCommand(args, textFiles);
    }

    /// <summary>
    /// A layer's asset as an input: its sniffed type's demuxer forced, local files only, the decoder's pixel
    /// limit — never libavformat's guess, which would follow a playlist or an ffconcat script hidden in a file.
    /// </summary>
    private static IEnumerable<string> Open(RenderJob job, Layer layer, RenderingOptions options)
        => MediaFormats.Open(job.AssetFiles[layer.AssetId!.Value], options.MaxImagePixels);

    /// <summary>One input's sound as a stereo 48 kHz track at the layer's volume, starting at the layer's start; returns its label.</summary>
    private static string AudioTrack(StringBuilder graph, int input, Layer layer, double start, int index)
    {
        var delay = (long)Math.Round(start * 1000);
        graph.Append(CultureInfo.InvariantCulture,
            $"[{input}:a]aresample=48000,aformat=sample_fmts=fltp:channel_layouts=stereo,volume={N(layer.Volume ?? 1)},adelay={delay}:all=1[a{index}];");
        return $"[a{index}]";
    }

    private static IEnumerable<string> Encoder(OutputSettings o, bool hasAudio)
    {
        switch (o.Format)
        {
            case OutputFormat.Mp4:
                var (preset, crf) = o.Quality switch { Quality.Draft => ("veryfast", "28"), Quality.High => ("slow", "18"), _ => ("medium", "23") };
                return ["-c:v", "libx264", "-preset", preset, "-crf", crf, "-pix_fmt", "yuv420p", "-movflags", "+faststart",
                    .. hasAudio ? new[] { "-c:a", "aac", "-b:a", "160k" } : [], "-f", "mp4"];
            case OutputFormat.Webm:
                var (cpu, vcrf) = o.Quality switch { Quality.Draft => ("8", "40"), Quality.High => ("2", "24"), _ => ("5", "32") };
                return ["-c:v", "libvpx-vp9", "-b:v", "0", "-crf", vcrf, "-deadline", "good", "-cpu-used", cpu, "-row-mt", "1", "-pix_fmt", "yuv420p",
                    .. hasAudio ? new[] { "-c:a", "libopus", "-b:a", "128k" } : [], "-f", "webm"];
            case OutputFormat.Gif:
                return ["-f", "gif", "-loop", "0"];
            default:
                throw new ArgumentOutOfRangeException(nameof(o));
        }
    }

    /// <summary>Invariant, short decimal text: 2.5 → "2.5", 1/3 → "0.333333".</summary>
    private static string N(double value) => value.ToString("0.######", CultureInfo.InvariantCulture);

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

    private static string SafePath(string path)
        => path.All(ch => char.IsAsciiLetterOrDigit(ch) || ch is '/' or '.' or '-' or '_')
            ? path
            : throw new ArgumentException($"Unsafe path for a filter graph: {path}");

    private static (int W, int H) Box(Layer layer, OutputSettings o) => layer.Size is { } s ? (s.Width, s.Height) : (o.Width, o.Height);

    private static string Opacity(Layer layer)
        => layer.Opacity is { } a && a < 1 ? $"colorchannelmixer=aa={N(Math.Clamp(a, 0, 1))}," : "";

    private static string Fades(Layer layer, double start, double end)
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

    private static string TextAlpha(Layer layer, double start, double end)
    {
        var fade = Math.Min(FadeSeconds, (end - start) / 2);
        var fadeIn = layer.Animation is Animation.FadeIn or Animation.FadeInOut;
        var fadeOut = layer.Animation is Animation.FadeOut or Animation.FadeInOut;
        var a = fadeIn ? $"if(lt(t,{N(start + fade)}),(t-{N(start)})/{N(fade)},1)" : "1";
        return fadeOut ? $"min({a},if(gt(t,{N(end - fade)}),({N(end)}-t)/{N(fade)},1))" : a;
    }

    private static string OverlayXY(Layer layer)
    {
        var p = layer.Position;
        return $"x={Axis(p?.X, "W-w")}:y={Axis(p?.Y, "H-h")}";
    }

    private static string TextXY(Layer layer)
    {
        var p = layer.Position ?? new Position(Coordinate.Named("center"), Coordinate.Named("center"));
        return $"x={Axis(p.X, "w-text_w")}:y={Axis(p.Y, "h-text_h")}";
    }

    /// <summary>A coordinate as an ffmpeg expression; <paramref name="free"/> is the room left (frame minus item).</summary>
    private static string Axis(Coordinate? c, string free) => c switch
    {
        null => "0",
        { Pixels: { } px } => N(px),
        { Keyword: "center" } => $"({free})/2",
        { Keyword: "right" or "bottom" } => $"({free})",
        _ => "0", // left, top
    };
}
