using System.Globalization;
using System.Text;
using RenderOwl.Domain.Rendering;

namespace RenderOwl.Infrastructure.Rendering;

/// <summary>
/// The sound of a composition: each layer's track (trimmed, at its speed with the pitch kept, its volume and volume
/// keyframes, its fades, placed at its start), music lowered while a voice sounds, and the mix.
/// </summary>
internal static class AudioTracks
{
    private static string N(double value) => FfmpegCommandBuilder.N(value);

    public const double DuckRampSeconds = 0.3;

    /// <summary>The input options that read a media layer's part: from <c>trim_start</c>, the media its length needs at its speed, repeated when it loops.</summary>
    public static IEnumerable<string> InputWindow(Layer layer, double length)
    {
        var used = length * (layer.Speed ?? 1);
        return layer.Loop == true
            ? ["-stream_loop", "-1", "-ss", N(layer.TrimStart ?? 0), "-t", N(used)]
            : ["-ss", N(layer.TrimStart ?? 0), "-t", N(layer.TrimDuration is { } trim ? Math.Min(trim, used) : used)];
    }

    /// <summary>One input's sound as a stereo 48 kHz track on the composition's clock; returns its label.</summary>
    public static string Track(StringBuilder graph, int input, Layer layer, double start, double end, int index, IReadOnlyList<(double From, double To)> voices, Ducking? ducking)
    {
        var length = end - start;
        var chain = new StringBuilder($"[{input}:a]aresample=48000,aformat=sample_fmts=fltp:channel_layouts=stereo,");
        chain.Append(Tempo(layer.Speed ?? 1));
        chain.Append(CultureInfo.InvariantCulture, $"volume={N(layer.Volume ?? 1)},");
        if (layer.Keyframes?.Volume is { Count: > 0 } volume)
        {
            chain.Append(CultureInfo.InvariantCulture, $"volume=eval=frame:volume='{MotionExpressions.Curve(volume, "t")}',");
        }
        if (layer.AudioFadeIn is > 0 and var fadeIn)
        {
            chain.Append(CultureInfo.InvariantCulture, $"afade=t=in:st=0:d={N(Math.Min(fadeIn, length))},");
        }
        if (layer.AudioFadeOut is > 0 and var fadeOut)
        {
            var d = Math.Min(fadeOut, length);
            chain.Append(CultureInfo.InvariantCulture, $"afade=t=out:st={N(length - d)}:d={N(d)},");
        }
        chain.Append(CultureInfo.InvariantCulture, $"atrim=0:{N(length)},adelay={(long)Math.Round(start * 1000)}:all=1");
        if (layer.Role == AudioRole.Music && ducking is not null && voices.Count > 0)
        {
            chain.Append(',').Append(Duck(voices, ducking.AmountDb ?? 12));
        }
        graph.Append(chain).Append(CultureInfo.InvariantCulture, $"[a{index}];");
        return $"[a{index}]";
    }

    /// <summary>The spans (composition time) during which a layer of the ducking role sounds, overlapping ones merged.</summary>
    public static List<(double From, double To)> Spans(IEnumerable<(double From, double To)> spans)
    {
        var merged = new List<(double From, double To)>();
        foreach (var (from, to) in spans.OrderBy(s => s.From))
        {
            if (merged.Count > 0 && from <= merged[^1].To + (2 * DuckRampSeconds))
            {
                merged[^1] = (merged[^1].From, Math.Max(merged[^1].To, to));
            }
            else
            {
                merged.Add((from, to));
            }
        }
        return merged;
    }

    /// <summary>Gain lowered by <paramref name="db"/> through each span: down over 0.3 s from its start, back up over 0.3 s after its end.</summary>
    private static string Duck(IReadOnlyList<(double From, double To)> spans, double db)
    {
        var depth = string.Join('+', spans.Select(s =>
            $"min(clip((t-{N(s.From)})/{N(DuckRampSeconds)},0,1),clip(({N(s.To + DuckRampSeconds)}-t)/{N(DuckRampSeconds)},0,1))"));
        return $"volume=eval=frame:volume='pow(10,-{N(db)}*min(1,{depth})/20)'";
    }

    /// <summary>Speed with the pitch kept: atempo takes 0.5–2 per stage, so 0.25 and 4 take two.</summary>
    private static string Tempo(double speed)
    {
        if (Math.Abs(speed - 1) < 1e-9)
        {
            return "";
        }
        var s = new StringBuilder();
        while (speed > 2)
        {
            s.Append("atempo=2,");
            speed /= 2;
        }
        while (speed < 0.5)
        {
            s.Append("atempo=0.5,");
            speed /= 0.5;
        }
        return s.Append(CultureInfo.InvariantCulture, $"atempo={N(speed)},").ToString();
    }
}
