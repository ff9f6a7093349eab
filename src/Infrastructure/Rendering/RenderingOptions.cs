namespace RenderOwl.Infrastructure.Rendering;

public sealed class RenderingOptions
{
    public const string Section = "Rendering";
    public string FfmpegPath { get; set; } = "ffmpeg";
    public string FfprobePath { get; set; } = "ffprobe";
    public string FontFile { get; set; } = "/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf";
    /// <summary>Root of the local object storage; default: &lt;data folder&gt;/storage.</summary>
    public string? StoragePath { get; set; }
    /// <summary>A render may take this many seconds per second of output, plus <see cref="TimeoutBaseSeconds"/>.</summary>
    public double TimeoutPerSecond { get; set; } = 20;
    public double TimeoutBaseSeconds { get; set; } = 60;
    public int ProbeTimeoutSeconds { get; set; } = 15;
    public int MaxImageSide { get; set; } = 16384;
    public long MaxImagePixels { get; set; } = 100_000_000;
    /// <summary>ffmpeg threads per render (0: ffmpeg decides).</summary>
    public int Threads { get; set; }
}
