using System.ComponentModel.DataAnnotations;

namespace RenderOwl.Infrastructure.Media;

/// <summary>How user media is probed (keys of the <c>Rendering</c> section, shared with <see cref="Rendering.RenderingOptions"/>).</summary>
public sealed class MediaOptions
{
    public const string Section = "Rendering";
    [Required]
    public string FfprobePath { get; set; } = "ffprobe";
    [Range(1, 600)]
    public int ProbeTimeoutSeconds { get; set; } = 15;
    /// <summary>Images wider or taller than this are refused at upload (decoding them costs memory).</summary>
    [Range(16, 65_536)]
    public int MaxImageSide { get; set; } = 16384;
    /// <summary>Pixels per frame ffprobe and ffmpeg may decode from a user file (their <c>-max_pixels</c>).</summary>
    [Range(256, 1_000_000_000)]
    public long MaxImagePixels { get; set; } = 100_000_000;
}
