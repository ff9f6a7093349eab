using System.Diagnostics;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using RenderOwl.Infrastructure.Media;
using RenderOwl.Infrastructure.Rendering;
using RenderOwl.Infrastructure.Storage;

namespace RenderOwl.Rendering.Tests;

/// <summary>A storage folder, the real engine and inspector, and real media made with ffmpeg for the tests.</summary>
public sealed class EngineFixture : IDisposable
{
    public EngineFixture()
    {
        Folder = Path.Combine(Path.GetTempPath(), "renderowl-engine-" + Guid.NewGuid().ToString("N")[..8]);
        Directory.CreateDirectory(Folder);
        Storage = new LocalObjectStorage(Path.Combine(Folder, "storage"));
        Options = Microsoft.Extensions.Options.Options.Create(new RenderingOptions { Threads = 2 });
        Inspector = new MediaInspector(Microsoft.Extensions.Options.Options.Create(new MediaOptions()));
        Engine = new FfmpegRenderEngine(Storage, Inspector, Options, NullLogger<FfmpegRenderEngine>.Instance);
        RedPng = Make("red.png", "-f", "lavfi", "-i", "color=c=red:s=64x64", "-frames:v", "1");
        VoiceWav = Make("voice.wav", "-f", "lavfi", "-i", "sine=frequency=1000:duration=1", "-ac", "2");
        ToneWav = Make("tone.wav", "-f", "lavfi", "-i", "sine=frequency=440:duration=3", "-ac", "2");
        ClipMp4 = Make("clip.mp4", "-f", "lavfi", "-i", "color=c=lime:s=320x240:r=25:d=4", "-f", "lavfi", "-i", "sine=frequency=300:duration=4",
            "-c:v", "libx264", "-preset", "ultrafast", "-pix_fmt", "yuv420p", "-c:a", "aac", "-shortest");
        // 64×32: red with 8-pixel green stripes at the left and right edges.
        EdgedPng = Make("edged.png", "-f", "lavfi", "-i", "color=c=red:s=64x32", "-vf", "drawbox=x=0:y=0:w=8:h=32:color=lime:t=fill,drawbox=x=56:y=0:w=8:h=32:color=lime:t=fill", "-frames:v", "1");
        // 64×64 in mid tones (no channel at 0 or 255, so every colour filter has room to act).
        MidPng = Make("mid.png", "-f", "lavfi", "-i", "color=c=0x806040:s=64x64", "-vf", "drawbox=x=32:y=0:w=32:h=64:color=0x4080a0:t=fill", "-frames:v", "1");
        // 64×64: left half red, right half blue.
        HalvesPng = Make("halves.png", "-f", "lavfi", "-i", "color=c=red:s=64x64", "-vf", "drawbox=x=32:y=0:w=32:h=64:color=blue:t=fill", "-frames:v", "1");
        MovingMp4 = Make("moving.mp4", "-f", "lavfi", "-i", "testsrc2=s=320x240:r=25:d=4", "-c:v", "libx264", "-preset", "ultrafast", "-pix_fmt", "yuv420p");
        SilentMp4 = Make("silent.mp4", "-f", "lavfi", "-i", "color=c=blue:s=320x240:r=25:d=3", "-c:v", "libx264", "-preset", "ultrafast", "-pix_fmt", "yuv420p");
    }

    public string Folder { get; }
    public LocalObjectStorage Storage { get; }
    public IOptions<RenderingOptions> Options { get; }
    public MediaInspector Inspector { get; }
    public FfmpegRenderEngine Engine { get; }
    public string RedPng { get; }
    public string EdgedPng { get; }
    public string HalvesPng { get; }
    public string MidPng { get; }
    public string ToneWav { get; }
    /// <summary>1 s of a 1 kHz tone: a "voice" told apart from the 440 Hz music by a band-pass.</summary>
    public string VoiceWav { get; }
    public string ClipMp4 { get; }
    /// <summary>4 s of a moving test pattern (never black, never frozen), no sound.</summary>
    public string MovingMp4 { get; }
    /// <summary>A video without an audio stream.</summary>
    public string SilentMp4 { get; }

    /// <summary>Mean volume of the file's sound in dB (ffmpeg volumedetect); -91 is digital silence.</summary>
    public static double MeanVolumeDb(string file, double from, double length) => MeanVolumeDb(file, from, length, null);

    /// <summary>Mean volume in dB after <paramref name="filter"/> (e.g. a band-pass that keeps one tone of a mix).</summary>
    public static double MeanVolumeDb(string file, double from, double length, string? filter)
    {
        var start = new ProcessStartInfo("ffmpeg") { RedirectStandardError = true, RedirectStandardOutput = true };
        foreach (var a in new[] { "-hide_banner", "-nostats", "-ss", from.ToString(System.Globalization.CultureInfo.InvariantCulture),
                     "-t", length.ToString(System.Globalization.CultureInfo.InvariantCulture), "-i", file, "-vn", "-af", filter is null ? "volumedetect" : filter + ",volumedetect", "-f", "null", "-" })
        {
            start.ArgumentList.Add(a);
        }
        using var p = Process.Start(start)!;
        var err = p.StandardError.ReadToEnd();
        p.WaitForExit();
        var match = System.Text.RegularExpressions.Regex.Match(err, @"mean_volume: (-?[0-9.]+) dB");
        Assert.True(match.Success, $"no volume measured: {err}");
        return double.Parse(match.Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture);
    }

    public string Make(string name, params string[] args)
    {
        var path = Path.Combine(Folder, name);
        Run("ffmpeg", ["-hide_banner", "-loglevel", "error", "-y", .. args, path]);
        return path;
    }

    /// <summary>The RGB of pixel (x, y) of the frame at <paramref name="seconds"/>.</summary>
    public (int R, int G, int B) Pixel(string file, double seconds, int x, int y, int width, int height)
    {
        var raw = RunBytes("ffmpeg", ["-hide_banner", "-loglevel", "error", "-ss", seconds.ToString(System.Globalization.CultureInfo.InvariantCulture), "-i", file,
            "-frames:v", "1", "-f", "rawvideo", "-pix_fmt", "rgb24", "pipe:1"]);
        Assert.Equal(width * height * 3, raw.Length);
        var i = ((y * width) + x) * 3;
        return (raw[i], raw[i + 1], raw[i + 2]);
    }

    /// <summary>The whole frame at <paramref name="seconds"/>, decoded to RGB.</summary>
    public static Frame FrameAt(string file, double seconds, int width, int height)
    {
        var raw = RunBytes("ffmpeg", ["-hide_banner", "-loglevel", "error", "-ss", seconds.ToString(System.Globalization.CultureInfo.InvariantCulture), "-i", file,
            "-frames:v", "1", "-f", "rawvideo", "-pix_fmt", "rgb24", "pipe:1"]);
        Assert.Equal(width * height * 3, raw.Length);
        return new Frame(raw, width, height);
    }

    /// <summary>An image file (poster, contact sheet, still) decoded to RGB, read without seeking.</summary>
    public static Frame Image(string file, int width, int height)
    {
        var raw = RunBytes("ffmpeg", ["-hide_banner", "-loglevel", "error", "-i", file, "-frames:v", "1", "-f", "rawvideo", "-pix_fmt", "rgb24", "pipe:1"]);
        Assert.Equal(width * height * 3, raw.Length);
        return new Frame(raw, width, height);
    }

    public static void Run(string file, string[] args) => RunBytes(file, args);

    public static byte[] RunBytes(string file, string[] args)
    {
        var start = new ProcessStartInfo(file) { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var a in args)
        {
            start.ArgumentList.Add(a);
        }
        using var p = Process.Start(start)!;
        using var output = new MemoryStream();
        var copy = p.StandardOutput.BaseStream.CopyToAsync(output);
        var err = p.StandardError.ReadToEndAsync();
        p.WaitForExit();
        copy.Wait();
        Assert.True(p.ExitCode == 0, $"{file} failed: {err.Result}");
        return output.ToArray();
    }

    public void Dispose() => Directory.Delete(Folder, recursive: true);
}

/// <summary>One decoded RGB frame: pixels, brightness, and the box around the pixels that pass a test.</summary>
public sealed class Frame(byte[] rgb, int width, int height)
{
    public int Width => width;
    public int Height => height;

    public (int R, int G, int B) this[int x, int y] => (rgb[((y * width) + x) * 3], rgb[((y * width) + x) * 3 + 1], rgb[((y * width) + x) * 3 + 2]);

    /// <summary>Rec. 601 luma of a pixel, 0–255.</summary>
    public double Luma(int x, int y)
    {
        var (r, g, b) = this[x, y];
        return (0.299 * r) + (0.587 * g) + (0.114 * b);
    }

    /// <summary>The smallest box holding every pixel that passes <paramref name="test"/> (right and bottom exclusive); null when none does.</summary>
    public (int Left, int Top, int Right, int Bottom)? Bounds(Func<(int R, int G, int B), bool> test)
    {
        int left = int.MaxValue, top = int.MaxValue, right = -1, bottom = -1;
        for (var y = 0; y < height; y++)
        {
            for (var x = 0; x < width; x++)
            {
                if (test(this[x, y]))
                {
                    (left, top, right, bottom) = (Math.Min(left, x), Math.Min(top, y), Math.Max(right, x + 1), Math.Max(bottom, y + 1));
                }
            }
        }
        return right < 0 ? null : (left, top, right, bottom);
    }

    /// <summary>Pixels that pass <paramref name="test"/>.</summary>
    public int Count(Func<(int R, int G, int B), bool> test)
    {
        var n = 0;
        for (var i = 0; i < rgb.Length; i += 3)
        {
            n += test((rgb[i], rgb[i + 1], rgb[i + 2])) ? 1 : 0;
        }
        return n;
    }

    public static bool Bright((int R, int G, int B) p) => p.R + p.G + p.B > 3 * 128;
}

public static class Colour
{
    public static void Near((int R, int G, int B) actual, (int R, int G, int B) expected, int tolerance = 40)
        => Assert.True(Math.Abs(actual.R - expected.R) <= tolerance && Math.Abs(actual.G - expected.G) <= tolerance && Math.Abs(actual.B - expected.B) <= tolerance,
            $"pixel {actual} is not near {expected}");
}
