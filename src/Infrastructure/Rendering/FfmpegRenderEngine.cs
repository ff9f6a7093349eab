using System.Globalization;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using RenderOwl.Application.Common.Abstractions;
using RenderOwl.Application.Common.Media;
using RenderOwl.Application.Rendering;
using RenderOwl.Domain.Common;
using RenderOwl.Domain.Rendering;
using RenderOwl.Infrastructure.Media;

namespace RenderOwl.Infrastructure.Rendering;

/// <summary>
/// Runs the one ffmpeg command of a composition, reports progress from <c>-progress pipe:1</c>, stops the
/// process tree on cancellation or timeout, verifies the output with ffprobe, measures its quality report
/// (<see cref="QualityCheck"/>) and only then commits it to storage. A failed or cancelled render leaves nothing in storage.
/// </summary>
public sealed partial class FfmpegRenderEngine(IObjectStorage storage, IMediaInspector inspector, IOptions<RenderingOptions> options, ILogger<FfmpegRenderEngine> logger,
    TimeProvider? clock = null) : IRenderEngine
{
    private readonly RenderingOptions _options = options.Value;
    private readonly TimeProvider _clock = clock ?? TimeProvider.System;
    private readonly OutputFinishing _finishing = new(options.Value);

    public async Task<RenderOutput> RenderAsync(RenderJob job, IProgress<double>? progress, CancellationToken cancellationToken)
    {
        var extension = "." + OutputFiles.Of(job.Output.Format).Extension;
        var scratch = storage.NewScratchPath(extension);
        var folder = Path.Combine(Path.GetDirectoryName(scratch)!, Path.GetFileNameWithoutExtension(scratch) + "-in");
        Directory.CreateDirectory(folder);
        try
        {
            var command = FfmpegCommandBuilder.Build(job, scratch, folder, _options, await VideosWithSoundAsync(job, cancellationToken));
            foreach (var (file, bytes) in command.Files)
            {
                await File.WriteAllBytesAsync(file, bytes, cancellationToken);
            }
            var seconds = job.Output.OutputSeconds(job.Composition.Seconds);
            await RunFfmpegAsync(command, seconds, progress, cancellationToken);
            var rendered = new MediaFile(scratch, OutputContentType(job.Output.Format));
            var probe = await ProbeAsync(rendered, cancellationToken);
            Verify(probe, job.Output, seconds);
            var qc = await QualityCheck.ReadAsync(command.QualityReports, audio: probe.AudioCodec is not null, probe.DurationSeconds ?? seconds);
            return await CompleteAsync(job, scratch, folder, probe, qc, seconds, Canonical(command.Arguments, job, scratch, folder), progress, cancellationToken);
        }
        finally
        {
            TryDelete(scratch);
            TryDelete(folder);
        }
    }

    /// <summary>
    /// A verified picture-and-sound file made final: the loudness target's second pass, the poster and contact sheet, then
    /// committed to storage under a new key with what made it.
    /// </summary>
    private async Task<RenderOutput> CompleteAsync(RenderJob job, string scratch, string folder, MediaProbe probe, QualityReport qc, double seconds,
        List<string> arguments, IProgress<double>? progress, CancellationToken cancellationToken)
    {
        if (job.Output.Loudness is { } loudness && probe.AudioCodec is not null)
        {
            (probe, qc) = await NormaliseAsync(job, scratch, folder, loudness.TargetLufs, qc, seconds, cancellationToken);
        }
        var key = StorageKeys.New("renders", _clock.GetUtcNow());
        var (poster, thumbnails) = await PicturesAsync(job.Output, scratch, folder, key, probe.DurationSeconds ?? seconds, cancellationToken);
        var stored = await storage.CommitFileAsync(scratch, key + Path.GetExtension(scratch), cancellationToken);
        progress?.Report(100);
        var engine = new EngineRun { FfmpegVersion = await VersionAsync(cancellationToken), Arguments = arguments };
        return new RenderOutput(stored.Key, stored.SizeBytes, stored.Sha256, probe) { Qc = qc, Engine = engine, PosterKey = poster, ThumbnailsKey = thumbnails };
    }

    /// <summary><c>loudness.target_lufs</c>: the second pass over the rendered file, then its sound measured again for the report.</summary>
    private async Task<(MediaProbe, QualityReport)> NormaliseAsync(RenderJob job, string scratch, string folder, double target, QualityReport qc, double seconds,
        CancellationToken cancellationToken)
    {
        var normalised = Path.Combine(folder, "normalised" + Path.GetExtension(scratch));
        await _finishing.NormaliseAsync(scratch, normalised, job.Output, target, cancellationToken);
        File.Move(normalised, scratch, overwrite: true);
        var report = Path.Combine(folder, "qc-audio-normalised.txt");
        await _finishing.MeasureAudioAsync(scratch, report, cancellationToken);
        var probe = await ProbeAsync(new MediaFile(scratch, OutputContentType(job.Output.Format)), cancellationToken);
        Verify(probe, job.Output, seconds);
        var sound = await QualityCheck.ReadAsync([report], audio: true, probe.DurationSeconds ?? seconds);
        return (probe, qc with { IntegratedLufs = sound.IntegratedLufs, TruePeakDb = sound.TruePeakDb, SilentSegments = sound.SilentSegments });
    }

    /// <summary>A video's JPEG poster (always) and contact sheet (when asked), stored beside the output under its key.</summary>
    private async Task<(string? Poster, string? Thumbnails)> PicturesAsync(OutputSettings output, string scratch, string folder, string key, double duration,
        CancellationToken cancellationToken)
    {
        if (!output.IsVideo || output.Segment)
        {
            return (null, null);
        }
        var posterFile = Path.Combine(folder, "poster.jpg");
        await _finishing.PosterAsync(scratch, Math.Min(output.Poster?.At ?? OutputFinishing.DefaultPosterAt(duration), Math.Max(0, duration - (1 / output.RenderFps))),
            posterFile, cancellationToken);
        string? sheet = null;
        if (output.Thumbnails is { } thumbnails)
        {
            var sheetFile = Path.Combine(folder, "thumbnails.jpg");
            await _finishing.ContactSheetAsync(scratch, duration, output.RenderFps, thumbnails.Count, output.EncodedSize.Width, sheetFile, cancellationToken);
            sheet = (await storage.CommitFileAsync(sheetFile, key + "-thumbnails.jpg", cancellationToken)).Key;
        }
        var poster = (await storage.CommitFileAsync(posterFile, key + "-poster.jpg", cancellationToken)).Key;
        return (poster, sheet);
    }

    private Task<string> VersionAsync(CancellationToken cancellationToken) => FfmpegEngineVersion.GetAsync(_options.FfmpegPath, cancellationToken);

    /// <summary>The arguments with this run's paths as placeholders (<c>{output}</c>, <c>{scratch}</c>, <c>{asset:ast_…}</c>): the same for every run of a manifest.</summary>
    public static List<string> Canonical(IReadOnlyList<string> arguments, RenderJob job, string output, string scratchFolder)
    {
        var assets = job.AssetFiles.GroupBy(kv => kv.Value.Path, StringComparer.Ordinal)
            .ToDictionary(g => g.Key, g => "{asset:" + g.First().Key + "}", StringComparer.Ordinal);
        return arguments.Select(a => a == output ? "{output}" : assets.TryGetValue(a, out var asset) ? asset : a.Replace(scratchFolder, "{scratch}", StringComparison.Ordinal)).ToList();
    }

    /// <summary>The type an output is probed as (its container's demuxer, forced like every other probe).</summary>
    public static string OutputContentType(OutputFormat format) => OutputFiles.Of(format).ContentType;

    /// <summary>Which video layers' files carry an audio stream (one ffprobe per distinct video asset; none for a GIF).</summary>
    private async Task<IReadOnlySet<AssetId>> VideosWithSoundAsync(RenderJob job, CancellationToken cancellationToken)
    {
        var withSound = new HashSet<AssetId>();
        if (!job.Output.HasSound)
        {
            return withSound;
        }
        foreach (var asset in job.Composition.Layers.Where(l => l.Type == LayerType.Video && l.AssetId is not null && (l.Volume ?? 1) > 0)
                     .Select(l => l.AssetId!.Value).Distinct())
        {
            if ((await ProbeAsync(job.AssetFiles[asset], cancellationToken)).AudioCodec is not null)
            {
                withSound.Add(asset);
            }
        }
        return withSound;
    }

    private async Task RunFfmpegAsync(FfmpegCommand command, double duration, IProgress<double>? progress, CancellationToken cancellationToken)
    {
        var timeout = TimeSpan.FromSeconds(_options.TimeoutBaseSeconds + (duration * _options.TimeoutPerSecond));
        using var span = Observability.RenderOwlTracing.Source.StartActivity("ffmpeg", System.Diagnostics.ActivityKind.Internal);
        span?.SetTag("process.executable.name", "ffmpeg");
        ProcessResult result;
        try
        {
            result = await ProcessRunner.RunAsync(_options.FfmpegPath, command.Arguments, timeout, output => ReadProgressAsync(output, duration, progress),
                stderrTail: 4096, cancellationToken);
        }
        catch (ProcessStartException)
        {
            throw new RenderFailedException("engine_unavailable", "ffmpeg could not be started.", retryable: true);
        }
        catch (TimeoutException ex)
        {
            throw new RenderFailedException("render_timeout", $"The render did not finish within {timeout.TotalSeconds:0} s.", retryable: true, ex.Data["stderr"] as string);
        }
        span?.SetTag("process.exit_code", result.ExitCode);
        if (result.ExitCode != 0)
        {
            Observability.RenderOwlTracing.Fail(span, $"exit code {result.ExitCode}");
            logger.LogWarning("ffmpeg exited with {ExitCode}: {Stderr}", result.ExitCode, result.StandardError);
            // Killed by a signal (crash, OOM killer) is worth another try; a refusal of the input is not.
            var crashed = result.ExitCode is > 128 or < 0;
            throw crashed
                ? new RenderFailedException("engine_crashed", "The renderer stopped unexpectedly.", retryable: true, result.StandardError)
                : new RenderFailedException("composition_rejected", "The renderer could not render this composition.", retryable: false, result.StandardError);
        }
    }

    /// <summary>A probe by the engine (of an input, of the output) that fails is a failed attempt, retryable as the probe says.</summary>
    private async Task<MediaProbe> ProbeAsync(MediaFile file, CancellationToken cancellationToken)
    {
        try
        {
            return await inspector.ProbeAsync(file, cancellationToken);
        }
        catch (MediaProbeFailedException ex)
        {
            throw new RenderFailedException(ex.Code, ex.Message, ex.Retryable, ex.Diagnostics);
        }
    }

    private static async Task ReadProgressAsync(StreamReader output, double duration, IProgress<double>? progress)
    {
        string? line;
        while ((line = await output.ReadLineAsync()) is not null)
        {
            if (progress is null || !line.StartsWith("out_time_us=", StringComparison.Ordinal))
            {
                continue;
            }
            if (long.TryParse(line.AsSpan("out_time_us=".Length), NumberStyles.Integer, CultureInfo.InvariantCulture, out var micros) && micros >= 0 && duration > 0)
            {
                progress.Report(Math.Clamp(micros / (duration * 10_000.0), 0, 99)); // 100 only once verified and stored
            }
        }
    }

    /// <summary>A render succeeds only when ffprobe agrees with what was asked.</summary>
    public static void Verify(MediaProbe probe, OutputSettings output, double duration)
    {
        var (video, audio, formatName) = output.Format switch
        {
            OutputFormat.Mp4 => ("h264", null, "mp4"),
            OutputFormat.Webm => ("vp9", null, "webm"),
            OutputFormat.MovAlpha => ("prores", null, "mov"),
            OutputFormat.Mp3 => (null, "mp3", "mp3"),
            OutputFormat.Png => ("png", null, "png_pipe"),
            OutputFormat.Jpg => ("mjpeg", null, "jpeg_pipe"),
            _ => ("gif", (string?)null, "gif"),
        };
        var problems = new List<string>();
        if (probe.VideoCodec != video)
        {
            problems.Add($"video codec {probe.VideoCodec ?? "none"}, expected {video ?? "none"}");
        }
        if (audio is not null && probe.AudioCodec != audio)
        {
            problems.Add($"audio codec {probe.AudioCodec ?? "none"}, expected {audio}");
        }
        if (!probe.FormatName.Split(',').Contains(formatName))
        {
            problems.Add($"container {probe.FormatName}, expected {formatName}");
        }
        var (width, height) = output.EncodedSize;
        if (video is not null && (probe.Width != width || probe.Height != height))
        {
            problems.Add($"size {probe.Width}x{probe.Height}, expected {width}x{height}");
        }
        if (output.IsVideo)
        {
            // GIF frame delays are whole centiseconds, so 30 fps is stored as 1/0.03 or 1/0.04 s.
            var fps = output.RenderFps;
            var fpsTolerance = output.Format == OutputFormat.Gif ? fps * 0.25 : 0.01 * fps + 0.01;
            if (probe.Fps is not { } probed || Math.Abs(probed - fps) > fpsTolerance)
            {
                problems.Add($"{probe.Fps:0.###} fps, expected {fps}");
            }
        }
        if (!output.IsStill)
        {
            // MP3 frames hold 1152 samples (24 ms at 48 kHz): its length is rounded to them.
            var frame = output.IsVideo ? 1.0 / output.RenderFps : 0.05;
            var durationTolerance = output.Format == OutputFormat.Gif ? Math.Max(frame, 0.1) : frame + 0.001;
            if (probe.DurationSeconds is not { } d || Math.Abs(d - duration) > durationTolerance)
            {
                problems.Add($"duration {probe.DurationSeconds:0.###} s, expected {duration:0.###} s");
            }
        }
        if (problems.Count > 0)
        {
            throw new RenderFailedException("output_invalid", "The output did not match the output settings: " + string.Join("; ", problems) + ".", retryable: true);
        }
    }

    private static void TryDelete(string path)
    {
        try
        {
            if (Directory.Exists(path))
            {
                Directory.Delete(path, recursive: true);
            }
            else
            {
                File.Delete(path);
            }
        }
        catch (IOException)
        {
        }
    }
}
