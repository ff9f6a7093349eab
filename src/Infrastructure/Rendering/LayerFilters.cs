using RenderOwl.Domain.Rendering;

namespace RenderOwl.Infrastructure.Rendering;

/// <summary>The filters that shape one layer's picture: crop, fit into its box, rotation. Each returns a filter chain ending in a comma, or nothing.</summary>
internal static class LayerFilters
{
    /// <summary>Cuts the named fractions of the source away from each side.</summary>
    public static string Crop(Crop? crop)
    {
        if (crop is null)
        {
            return "";
        }
        var (t, r, b, l) = (crop.Top ?? 0, crop.Right ?? 0, crop.Bottom ?? 0, crop.Left ?? 0);
        return t + r + b + l == 0 ? "" : $"crop=iw*{FfmpegCommandBuilder.N(1 - l - r)}:ih*{FfmpegCommandBuilder.N(1 - t - b)}:iw*{FfmpegCommandBuilder.N(l)}:ih*{FfmpegCommandBuilder.N(t)},";
    }

    /// <summary>The picture (already rgba) brought to exactly <paramref name="w"/>×<paramref name="h"/>; transparent where it does not reach.</summary>
    public static string Fit(Fit fit, int w, int h) => fit switch
    {
        Domain.Rendering.Fit.Fill => $"scale={w}:{h},setsar=1,",
        Domain.Rendering.Fit.Cover => $"scale={w}:{h}:force_original_aspect_ratio=increase,crop={w}:{h},setsar=1,",
        Domain.Rendering.Fit.None => $"crop='min(iw,{w})':'min(ih,{h})',pad={w}:{h}:(ow-iw)/2:(oh-ih)/2:color=black@0,setsar=1,",
        _ => $"scale={w}:{h}:force_original_aspect_ratio=decrease,pad={w}:{h}:(ow-iw)/2:(oh-ih)/2:color=black@0,setsar=1,",
    };

    /// <summary>Turned clockwise by <paramref name="degrees"/>, on a canvas grown to hold all of it, transparent around.</summary>
    public static string Rotate(double? degrees)
    {
        if (degrees is not { } d || d % 360 == 0)
        {
            return "";
        }
        var a = FfmpegCommandBuilder.N(d * Math.PI / 180);
        return $"rotate={a}:ow=rotw({a}):oh=roth({a}):c=black@0,"; // c=none would leave the corners unpainted, not transparent
    }
}
