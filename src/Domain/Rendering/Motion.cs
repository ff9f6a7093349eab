namespace RenderOwl.Domain.Rendering;

public enum TransitionType
{
    Fade,
    SlideLeft,
    SlideRight,
    SlideUp,
    SlideDown,
    WipeLeft,
    WipeRight,
    ZoomIn,
    ZoomOut,
}

/// <summary>One end of a layer's entrance or exit: its kind and length (default 0.5 s).</summary>
public sealed record TransitionStep(TransitionType Type, double? Duration)
{
    public const double DefaultSeconds = 0.5;

    public double Seconds => Duration ?? DefaultSeconds;
}

public sealed record Transition(TransitionStep? In, TransitionStep? Out);

/// <summary>Slow movement of the picture inside the layer's box, over the layer's whole duration.</summary>
public enum Effect
{
    /// <summary>Zooms in from 100 % to 120 %.</summary>
    KenBurnsIn,
    /// <summary>Zooms out from 120 % to 100 %.</summary>
    KenBurnsOut,
    /// <summary>At 120 %, the picture moves from right to left.</summary>
    PanLeft,
    /// <summary>At 120 %, the picture moves from left to right.</summary>
    PanRight,
}

public enum VisualFilter
{
    Grayscale,
    Sepia,
    Blur,
    Brighten,
    Darken,
    Contrast,
    Invert,
}

public enum Easing
{
    Linear,
    EaseIn,
    EaseOut,
    EaseInOut,
    Hold,
}

/// <summary>A value at a time (seconds from the layer's start); <see cref="Easing"/> shapes the way to the next keyframe.</summary>
public sealed record Keyframe(double Time, double Value, Easing? Easing);

/// <summary>Animated properties: x and y (pixels, where the anchor goes), scale (1 = the box's size), opacity, rotation (degrees), volume.</summary>
public sealed record Keyframes
{
    public IReadOnlyList<Keyframe>? X { get; init; }
    public IReadOnlyList<Keyframe>? Y { get; init; }
    public IReadOnlyList<Keyframe>? Scale { get; init; }
    public IReadOnlyList<Keyframe>? Opacity { get; init; }
    public IReadOnlyList<Keyframe>? Rotation { get; init; }
    public IReadOnlyList<Keyframe>? Volume { get; init; }

    public IEnumerable<(string Name, IReadOnlyList<Keyframe> Frames)> All()
    {
        foreach (var (name, frames) in new[] { ("x", X), ("y", Y), ("scale", Scale), ("opacity", Opacity), ("rotation", Rotation), ("volume", Volume) })
        {
            if (frames is not null)
            {
                yield return (name, frames);
            }
        }
    }
}

/// <summary>The easing curves, and a keyframed property's value at a time.</summary>
public static class Easings
{
    /// <summary>Progress 0–1 through a segment, eased.</summary>
    public static double Apply(Easing easing, double p)
    {
        p = Math.Clamp(p, 0, 1);
        return easing switch
        {
            Easing.EaseIn => p * p,
            Easing.EaseOut => 1 - ((1 - p) * (1 - p)),
            Easing.EaseInOut => p < 0.5 ? 2 * p * p : 1 - (Math.Pow((-2 * p) + 2, 2) / 2),
            Easing.Hold => p >= 1 ? 1 : 0,
            _ => p,
        };
    }

    /// <summary>The value of keyframes (sorted by time) at <paramref name="t"/>: the first before it starts, the last after it ends.</summary>
    public static double ValueAt(IReadOnlyList<Keyframe> frames, double t)
    {
        if (t <= frames[0].Time)
        {
            return frames[0].Value;
        }
        for (var i = 0; i + 1 < frames.Count; i++)
        {
            var (a, b) = (frames[i], frames[i + 1]);
            if (t < b.Time)
            {
                var p = (t - a.Time) / (b.Time - a.Time);
                return a.Value + ((b.Value - a.Value) * Apply(a.Easing ?? Easing.Linear, p));
            }
        }
        return frames[^1].Value;
    }
}
