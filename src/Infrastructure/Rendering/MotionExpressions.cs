using System.Text;
using RenderOwl.Domain.Rendering;

namespace RenderOwl.Infrastructure.Rendering;

/// <summary>
/// Easings and keyframed values as ffmpeg expressions of a time variable — the same curves as <see cref="Easings"/>, so
/// a frame shows what the API documents. <c>time</c> is the expression of the layer's own time (seconds from its start):
/// <c>t</c> inside the layer's filters, <c>(t-start)</c> in the overlay that places it.
/// </summary>
internal static class MotionExpressions
{
    private static string N(double value) => FfmpegCommandBuilder.N(value);

    /// <summary>An easing of progress <paramref name="p"/> (an expression already clipped to 0–1).</summary>
    public static string Ease(Easing easing, string p) => easing switch
    {
        Easing.EaseIn => $"({p})*({p})",
        Easing.EaseOut => $"(1-(1-({p}))*(1-({p})))",
        Easing.EaseInOut => $"if(lt({p},0.5),2*({p})*({p}),1-pow(-2*({p})+2,2)/2)",
        Easing.Hold => $"gte({p},1)",
        _ => $"({p})",
    };

    /// <summary>Progress through [from, from + length] at <paramref name="time"/>, clipped to 0–1.</summary>
    public static string Progress(string time, double from, double length) => $"clip(({time}-{N(from)})/{N(Math.Max(length, 1e-6))},0,1)";

    /// <summary>The keyframes' value at <paramref name="time"/>: nested segments, the first value before, the last after.</summary>
    public static string Curve(IReadOnlyList<Keyframe> frames, string time)
    {
        var expression = new StringBuilder();
        var closing = 0;
        for (var i = 0; i + 1 < frames.Count; i++)
        {
            var (a, b) = (frames[i], frames[i + 1]);
            var eased = Ease(a.Easing ?? Easing.Linear, Progress(time, a.Time, b.Time - a.Time));
            expression.Append($"if(lt({time},{N(b.Time)}),{N(a.Value)}+({N(b.Value - a.Value)})*{eased},");
            closing++;
        }
        expression.Append(N(frames[^1].Value)).Append(')', closing);
        return expression.ToString();
    }
}
