using System.ComponentModel.DataAnnotations;

namespace RenderOwl.Infrastructure.Rendering;

/// <summary>The render engine (<c>Rendering</c>); how uploads are probed is <see cref="Media.MediaOptions"/>, from the same section.</summary>
public sealed class RenderingOptions
{
    public const string Section = "Rendering";
    [Required]
    public string FfmpegPath { get; set; } = "ffmpeg";
    [Required]
    public string FontFile { get; set; } = "/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf";
    /// <summary>Root of the local object storage; default: &lt;data folder&gt;/storage.</summary>
    public string? StoragePath { get; set; }
    /// <summary>A render may take this many seconds per second of output, plus <see cref="TimeoutBaseSeconds"/>.</summary>
    [Range(0.1, 3600)]
    public double TimeoutPerSecond { get; set; } = 20;
    [Range(1, 86_400)]
    public double TimeoutBaseSeconds { get; set; } = 60;
    /// <summary>Pixels per frame ffmpeg may decode from an asset while rendering (its <c>-max_pixels</c>).</summary>
    [Range(256, 1_000_000_000)]
    public long MaxImagePixels { get; set; } = 100_000_000;
    /// <summary>ffmpeg threads per render (0: ffmpeg decides).</summary>
    [Range(0, 64)]
    public int Threads { get; set; }
    /// <summary>
    /// Threads of the video encoder (x264, libvpx). Fixed, because their output depends on it: every worker with the same
    /// value and ffmpeg version renders a manifest to the same bytes. Changing it changes outputs (and their memoization).
    /// </summary>
    [Range(1, 64)]
    public int EncoderThreads { get; set; } = 4;
}
