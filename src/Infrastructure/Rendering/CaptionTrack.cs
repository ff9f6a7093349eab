using System.Globalization;
using System.Text;
using RenderOwl.Application.Rendering;
using RenderOwl.Domain.Rendering;
using RenderOwl.Infrastructure.Rendering.Drawing;
using SkiaSharp;

namespace RenderOwl.Infrastructure.Rendering;

/// <summary>
/// A caption layer as one input: each cue drawn to an image the caption box's size (and a transparent one for the gaps),
/// played in order by an ffconcat script written beside them, each image for its cue's time. ffmpeg reads the
/// script with the concat demuxer — ours, never a user's file — and only files in that folder.
/// </summary>
internal static class CaptionTrack
{
    /// <summary>The cues of the layer: its inline SRT/VTT, or its subtitle asset's file.</summary>
    public static List<Cue> Cues(Layer layer, RenderJob job)
    {
        var text = layer.Srt ?? layer.Vtt ?? File.ReadAllText(job.AssetFiles[layer.AssetId!.Value].Path);
        return Subtitles.Parse(text, []);
    }

    /// <summary>Writes the images and script into <paramref name="files"/>; returns the input options that read them.</summary>
    public static IEnumerable<string> Input(Layer layer, List<Cue> cues, double length, (int W, int H) box, int frameHeight, string folder, int index,
        IDictionary<string, byte[]> files, Func<string, SKTypeface?> uploadedFont)
    {
        var blank = $"caption-{index}-blank.png";
        files[Path.Combine(folder, blank)] = Blank(box);
        var script = new StringBuilder("ffconcat version 1.0\n");
        var at = 0.0;
        void Show(string file, double seconds)
        {
            if (seconds > 0)
            {
                script.Append(CultureInfo.InvariantCulture, $"file {file}\nduration {FfmpegCommandBuilder.N(seconds)}\n");
            }
        }
        for (var c = 0; c < cues.Count; c++)
        {
            var (from, to) = (Math.Max(cues[c].Start, at), Math.Min(cues[c].End, length));
            if (to <= from)
            {
                continue;
            }
            Show(blank, from - at);
            var name = $"caption-{index}-{c}.png";
            files[Path.Combine(folder, name)] = CaptionPainter.Paint(layer, cues[c].Text, box.W, box.H, frameHeight, uploadedFont);
            Show(name, to - from);
            at = to;
        }
        Show(blank, Math.Max(length - at, 0.001));
        script.Append(CultureInfo.InvariantCulture, $"file {blank}\n"); // the last entry's duration applies only when another follows
        var path = Path.Combine(folder, $"caption-{index}.ffconcat");
        files[path] = Encoding.UTF8.GetBytes(script.ToString());
        return ["-protocol_whitelist", "file", "-f", "concat", "-safe", "1", "-i", FfmpegCommandBuilder.SafePath(path)];
    }

    private static byte[] Blank((int W, int H) box)
    {
        using var surface = Canvas.Transparent(box.W, box.H);
        return Canvas.Png(surface);
    }
}
