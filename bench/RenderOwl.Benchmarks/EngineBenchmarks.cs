using RenderOwl.Application.Common.Media;
using System.Diagnostics;
using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Engines;
using Microsoft.Extensions.Logging.Abstractions;
using RenderOwl.Application.Rendering;
using RenderOwl.Domain.Common;
using RenderOwl.Domain.Rendering;
using RenderOwl.Infrastructure.Media;
using RenderOwl.Infrastructure.Rendering;
using RenderOwl.Infrastructure.Storage;

namespace RenderOwl.Benchmarks;

/// <summary>
/// The engine's whole render (command building, ffmpeg, ffprobe verification, hashing, commit to storage)
/// against running the identical ffmpeg command directly: what the engine costs on top of ffmpeg.
/// 5 s of 1280×720 at 30 fps with text, an image and audio, mp4 at standard quality.
/// </summary>
[SimpleJob(RunStrategy.Monitoring, launchCount: 1, warmupCount: 2, iterationCount: 9)]
[MinColumn, MaxColumn, MedianColumn]
public class EngineBenchmarks
{
    private readonly AssetId _image = new(Guid.CreateVersion7());
    private readonly AssetId _tone = new(Guid.CreateVersion7());
    private string _folder = "";
    private LocalObjectStorage _storage = null!;
    private FfmpegRenderEngine _engine = null!;
    private RenderJob _job = null!;
    private FfmpegCommand _direct = null!;
    private RenderingOptions _options = null!;

    [GlobalSetup]
    public void Setup()
    {
        _folder = Directory.CreateTempSubdirectory("renderowl-bench-").FullName;
        _storage = new LocalObjectStorage(Path.Combine(_folder, "storage"));
        _options = new RenderingOptions();
        var options = Microsoft.Extensions.Options.Options.Create(_options);
        _engine = new FfmpegRenderEngine(_storage, new MediaInspector(Microsoft.Extensions.Options.Options.Create(new MediaOptions())), options, NullLogger<FfmpegRenderEngine>.Instance);
        var png = Path.Combine(_folder, "logo.png");
        var wav = Path.Combine(_folder, "music.wav");
        Run("-f", "lavfi", "-i", "testsrc2=s=320x180", "-frames:v", "1", png);
        Run("-f", "lavfi", "-i", "sine=frequency=440:duration=5", "-ac", "2", wav);
        _job = new RenderJob(new Composition(5, "#101820",
        [
            new Layer { Type = LayerType.Color, Color = "#1e90ff", Start = 0, Duration = 2 },
            new Layer { Type = LayerType.Text, Text = "Hello, Ada", Start = 0.5, Duration = 4, Style = new TextStyle(72, "#ffffff", null), Animation = Animation.FadeIn },
            new Layer { Type = LayerType.Image, AssetId = _image, Start = 1, Duration = 3, Position = new Position(Coordinate.At(40), Coordinate.At(40)), Size = new Size(320, 180) },
            new Layer { Type = LayerType.Audio, AssetId = _tone, Start = 0, Volume = 0.8 },
        ]), new OutputSettings(OutputFormat.Mp4, 1280, 720, 30, Quality.Standard), new Dictionary<AssetId, MediaFile> { [_image] = new(png, "image/png"), [_tone] = new(wav, "audio/wav") }, false);
        var textFolder = Path.Combine(_folder, "direct");
        Directory.CreateDirectory(textFolder);
        _direct = FfmpegCommandBuilder.Build(_job, Path.Combine(_folder, "direct.mp4"), textFolder, _options);
        foreach (var (file, bytes) in _direct.Files)
        {
            File.WriteAllBytes(file, bytes);
        }
    }

    [Benchmark(Baseline = true, Description = "ffmpeg, same command, run directly")]
    public void DirectFfmpeg()
    {
        var start = new ProcessStartInfo(_options.FfmpegPath) { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var a in _direct.Arguments)
        {
            start.ArgumentList.Add(a);
        }
        using var p = Process.Start(start)!;
        p.StandardOutput.ReadToEnd();
        p.WaitForExit();
        if (p.ExitCode != 0)
        {
            throw new InvalidOperationException(p.StandardError.ReadToEnd());
        }
    }

    [Benchmark(Description = "RenderOwl engine (render + verify + store)")]
    public async Task Engine()
    {
        var output = await _engine.RenderAsync(_job, new Progress<double>(), CancellationToken.None);
        await _storage.DeleteAsync(output.StorageKey, CancellationToken.None);
    }

    [GlobalCleanup]
    public void Cleanup() => Directory.Delete(_folder, recursive: true);

    private static void Run(params string[] args)
    {
        var start = new ProcessStartInfo("ffmpeg") { RedirectStandardError = true };
        foreach (var a in new[] { "-hide_banner", "-loglevel", "error", "-y" }.Concat(args))
        {
            start.ArgumentList.Add(a);
        }
        using var p = Process.Start(start)!;
        p.WaitForExit();
    }
}
