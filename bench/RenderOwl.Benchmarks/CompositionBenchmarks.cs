using System.Diagnostics;
using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Engines;
using Microsoft.Extensions.Logging.Abstractions;
using RenderOwl.Application.Common.Errors;
using RenderOwl.Application.Common.Media;
using RenderOwl.Application.Rendering;
using RenderOwl.Domain.Common;
using RenderOwl.Domain.Rendering;
using RenderOwl.Infrastructure.Media;
using RenderOwl.Infrastructure.Rendering;
using RenderOwl.Infrastructure.Storage;

namespace RenderOwl.Benchmarks;

/// <summary>
/// The engine on a composition using the richer layers — text boxes (one sized automatically), an image fitted by
/// cover with a slide-in, a shape, captions — against running its identical ffmpeg command directly (the drawn
/// images written beforehand): what the engine costs on top of ffmpeg, drawing included. 5 s of 1280×720 at 30 fps.
/// <c>dotnet bench/RenderOwl.Benchmarks/bin/Release/net10.0/RenderOwl.Benchmarks.dll --filter '*CompositionBenchmarks*'</c>
/// </summary>
[SimpleJob(RunStrategy.Monitoring, launchCount: 1, warmupCount: 1, iterationCount: 7)]
[MinColumn, MaxColumn, MedianColumn]
public class CompositionBenchmarks
{
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
        _engine = new FfmpegRenderEngine(_storage, new MediaInspector(Microsoft.Extensions.Options.Options.Create(new MediaOptions())),
            Microsoft.Extensions.Options.Options.Create(_options), NullLogger<FfmpegRenderEngine>.Instance);
        var (job, _) = Social.Job(_folder, seconds: 5, images: 1);
        _job = job;
        var direct = Path.Combine(_folder, "direct");
        Directory.CreateDirectory(direct);
        _direct = FfmpegCommandBuilder.Build(_job, Path.Combine(_folder, "direct.mp4"), direct, _options);
        foreach (var (file, bytes) in _direct.Files)
        {
            File.WriteAllBytes(file, bytes);
        }
    }

    [Benchmark(Baseline = true, Description = "ffmpeg, same command, run directly")]
    public void DirectFfmpeg() => Social.Ffmpeg(_options.FfmpegPath, _direct.Arguments);

    [Benchmark(Description = "RenderOwl engine (draw + render + verify + store)")]
    public async Task Engine()
    {
        var output = await _engine.RenderAsync(_job, new Progress<double>(), CancellationToken.None);
        await _storage.DeleteAsync(output.StorageKey, CancellationToken.None);
    }

    [GlobalCleanup]
    public void Cleanup() => Directory.Delete(_folder, recursive: true);
}

/// <summary>
/// The "social video" of the composition benchmark: a title, N photos with Ken Burns and slide/fade transitions,
/// captions all along, music ducked under a voice track. <c>social [runs] [copy-to.mp4]</c> renders the 30 s, 1280×720 version and
/// prints each render's time and the same command run by ffmpeg alone.
/// </summary>
internal static class Social
{
    public static (RenderJob Job, double Seconds) Job(string folder, double seconds, int images)
    {
        var files = new Dictionary<AssetId, MediaFile>();
        var layers = new List<Layer>();
        var slot = seconds / images;
        for (var i = 0; i < images; i++)
        {
            var id = new AssetId(Guid.CreateVersion7());
            var png = Path.Combine(folder, $"photo-{i}.png");
            Make("-f", "lavfi", "-i", $"testsrc2=s=1920x1080,hue=h={i * 60}", "-frames:v", "1", png);
            files[id] = new MediaFile(png, "image/png");
            layers.Add(new Layer
            {
                Type = LayerType.Image, AssetId = id, Start = i * slot, Duration = slot + (i < images - 1 ? 0.5 : 0), Fit = Fit.Cover,
                Size = new Size(1280, 720), Effect = i % 2 == 0 ? Effect.KenBurnsIn : Effect.KenBurnsOut,
                Transition = new Transition(new TransitionStep(i == 0 ? TransitionType.Fade : TransitionType.SlideLeft, 0.5), null),
                Position = new Position(Coordinate.At(0), Coordinate.At(0)),
            });
        }
        layers.Add(new Layer
        {
            Type = LayerType.Shape, Shape = ShapeKind.Rectangle, Color = "#00000099", CornerRadius = 24, Start = 0.3, Duration = Math.Min(4, seconds - 0.3),
            Size = new Size(Length.PercentOf(70), 160), Position = new Position(Coordinate.PercentOf(50), Coordinate.PercentOf(20)), Anchor = "center",
            Transition = new Transition(new TransitionStep(TransitionType.Fade, 0.4), new TransitionStep(TransitionType.Fade, 0.4)),
        });
        layers.Add(new Layer
        {
            Type = LayerType.Text, Text = "Ten things to see in Leeds this weekend", Start = 0.3, Duration = Math.Min(4, seconds - 0.3),
            Size = new Size(Length.PercentOf(66), 140), Position = new Position(Coordinate.PercentOf(50), Coordinate.PercentOf(20)), Anchor = "center",
            Style = new TextStyle { FontSize = FontSize.Fit, FontWeight = 700, Color = "#ffffff", Align = "center", VerticalAlign = "center", Shadow = new Shadow("#00000080", 3, 3) },
            Transition = new Transition(new TransitionStep(TransitionType.SlideUp, 0.5), new TransitionStep(TransitionType.Fade, 0.4)),
        });
        var srt = new System.Text.StringBuilder();
        for (var c = 0; c * 2.5 < seconds - 0.5; c++)
        {
            srt.Append(System.Globalization.CultureInfo.InvariantCulture,
                $"{c + 1}\n{Stamp(c * 2.5)} --> {Stamp(Math.Min(seconds, (c * 2.5) + 2.2))}\nCaption {c + 1}: words that a speaker says, long enough to wrap now and then\n\n");
        }
        layers.Add(new Layer { Type = LayerType.Caption, Srt = srt.ToString(), Start = 0, MaxLines = 2 });
        var music = new AssetId(Guid.CreateVersion7());
        var voice = new AssetId(Guid.CreateVersion7());
        var musicWav = Path.Combine(folder, "music.wav");
        var voiceWav = Path.Combine(folder, "voice.wav");
        Make("-f", "lavfi", "-i", $"sine=frequency=440:duration={seconds}", "-ac", "2", musicWav);
        Make("-f", "lavfi", "-i", $"sine=frequency=1000:duration={Math.Min(10, seconds / 2)}", "-ac", "2", voiceWav);
        files[music] = new MediaFile(musicWav, "audio/wav");
        files[voice] = new MediaFile(voiceWav, "audio/wav");
        layers.Add(new Layer { Type = LayerType.Audio, AssetId = music, Start = 0, Role = AudioRole.Music, AudioFadeOut = 1 });
        layers.Add(new Layer { Type = LayerType.Audio, AssetId = voice, Start = seconds / 4, Role = AudioRole.Voice });
        var composition = new Composition(seconds, "#101820", layers) { Ducking = new Ducking(AudioRole.Voice, 12) };
        var errors = new List<FieldError>();
        var resolved = Timeline.Resolve(composition, _ => seconds, "composition", errors) ?? throw new InvalidOperationException(string.Join("; ", errors));
        return (new RenderJob(resolved, new OutputSettings(OutputFormat.Mp4, 1280, 720, 30, Quality.Standard), files, false), seconds);
    }

    /// <param name="runs">Renders to time.</param>
    /// <param name="keep">Where to copy the last render's output (to look at it), or null.</param>
    public static async Task<int> RunAsync(int runs, string? keep)
    {
        var folder = Directory.CreateTempSubdirectory("renderowl-social-").FullName;
        try
        {
            var storage = new LocalObjectStorage(Path.Combine(folder, "storage"));
            var options = new RenderingOptions();
            var engine = new FfmpegRenderEngine(storage, new MediaInspector(Microsoft.Extensions.Options.Options.Create(new MediaOptions())),
                Microsoft.Extensions.Options.Options.Create(options), NullLogger<FfmpegRenderEngine>.Instance);
            var (job, seconds) = Job(folder, 30, 5);
            var direct = Path.Combine(folder, "direct");
            Directory.CreateDirectory(direct);
            var command = FfmpegCommandBuilder.Build(job, Path.Combine(folder, "direct.mp4"), direct, options);
            foreach (var (file, bytes) in command.Files)
            {
                await File.WriteAllBytesAsync(file, bytes);
            }
            Console.WriteLine($"social video: {seconds} s, 1280×720, 30 fps, mp4 standard; {job.Composition.Layers.Count} layers");
            for (var r = 0; r < runs; r++)
            {
                var clock = Stopwatch.StartNew();
                var output = await engine.RenderAsync(job, null, CancellationToken.None);
                var engineSeconds = clock.Elapsed.TotalSeconds;
                if (keep is not null && r == runs - 1)
                {
                    File.Copy(storage.LocalPath(output.StorageKey), keep, overwrite: true);
                }
                await storage.DeleteAsync(output.StorageKey, CancellationToken.None);
                clock.Restart();
                Ffmpeg(options.FfmpegPath, command.Arguments);
                var alone = clock.Elapsed.TotalSeconds;
                clock.Restart();
                Ffmpeg(options.FfmpegPath, WithoutQualityCheck(command.Arguments));
                var bare = clock.Elapsed.TotalSeconds;
                Console.WriteLine($"run {r + 1}: engine {engineSeconds:0.00} s, ffmpeg alone {alone:0.00} s (ratio {engineSeconds / alone:0.000}), "
                    + $"ffmpeg without the quality detectors {bare:0.00} s (qc adds {(alone - bare) / bare * 100:0.0} %), realtime factor {seconds / engineSeconds:0.00}×");
            }
            return 0;
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }

    /// <summary>
    /// <c>formats [runs]</c>: the 30 s social video as a draft against the standard render (target: a draft in at most ⅓ of
    /// the time), and what the finishing passes add (a loudness target's two passes, a 9-frame contact sheet; the poster is
    /// part of both), alternating in each run.
    /// </summary>
    public static async Task<int> FormatsAsync(int runs)
    {
        var folder = Directory.CreateTempSubdirectory("renderowl-formats-").FullName;
        try
        {
            var storage = new LocalObjectStorage(Path.Combine(folder, "storage"));
            var engine = new FfmpegRenderEngine(storage, new MediaInspector(Microsoft.Extensions.Options.Options.Create(new MediaOptions())),
                Microsoft.Extensions.Options.Options.Create(new RenderingOptions()), NullLogger<FfmpegRenderEngine>.Instance);
            var (job, seconds) = Job(folder, 30, 5);
            var draft = job with { Output = job.Output with { Quality = Quality.Draft } };
            var finished = job with { Output = job.Output with { Loudness = new LoudnessSettings(-14), Thumbnails = new ThumbnailSettings(9) } };
            Console.WriteLine($"social video: {seconds} s, 1280×720, 30 fps, mp4; standard vs draft (640×360, 15 fps, ultrafast) vs standard + loudness + thumbnails");
            async Task<double> Time(RenderJob j)
            {
                var clock = Stopwatch.StartNew();
                var output = await engine.RenderAsync(j, null, CancellationToken.None);
                var elapsed = clock.Elapsed.TotalSeconds;
                foreach (var key in output.Keys)
                {
                    await storage.DeleteAsync(key, CancellationToken.None);
                }
                return elapsed;
            }
            for (var r = 0; r < runs; r++)
            {
                var standard = await Time(job);
                var quick = await Time(draft);
                var extra = await Time(finished);
                Console.WriteLine($"run {r + 1}: standard {standard:0.00} s, draft {quick:0.00} s (ratio {quick / standard:0.000}), "
                    + $"with loudness + thumbnails {extra:0.00} s (+{(extra - standard) / standard * 100:0.0} %)");
            }
            return 0;
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }

    /// <summary>The same command with the quality detectors' branches taken out of the graph: what they cost.</summary>
    private static List<string> WithoutQualityCheck(IReadOnlyList<string> arguments)
    {
        var args = arguments.ToList();
        var at = args.IndexOf("-filter_complex") + 1;
        var graph = System.Text.RegularExpressions.Regex.Replace(args[at], @"split\[vfinal\]\[qcv\];\[qcv\][^;]*;", "null[vfinal];");
        args[at] = System.Text.RegularExpressions.Regex.Replace(graph, @",asplit\[aout\]\[qca\];\[qca\].*$", "[aout]");
        return args;
    }

    public static void Ffmpeg(string ffmpeg, IReadOnlyList<string> arguments)
    {
        var start = new ProcessStartInfo(ffmpeg) { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var a in arguments)
        {
            start.ArgumentList.Add(a);
        }
        using var p = Process.Start(start)!;
        var error = p.StandardError.ReadToEndAsync();
        p.StandardOutput.ReadToEnd();
        p.WaitForExit();
        if (p.ExitCode != 0)
        {
            throw new InvalidOperationException(error.Result);
        }
    }

    private static string Stamp(double seconds) => TimeSpan.FromSeconds(seconds).ToString(@"hh\:mm\:ss\,fff", System.Globalization.CultureInfo.InvariantCulture);

    private static void Make(params string[] args) => Ffmpeg("ffmpeg", ["-hide_banner", "-loglevel", "error", "-y", .. args]);
}
