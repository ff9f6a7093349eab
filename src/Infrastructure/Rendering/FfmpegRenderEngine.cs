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
public sealed class FfmpegRenderEngine(IObjectStorage storage, IMediaInspector inspector, IOptions<RenderingOptions> options, ILogger<FfmpegRenderEngine> logger,
    TimeProvider? clock = null) : IRenderEngine
{
    private readonly RenderingOptions _options = options.Value;
    private readonly TimeProvider _clock = clock ?? TimeProvider.System;

    public async Task<RenderOutput> RenderAsync(RenderJob job, IProgress<double>? progress, CancellationToken cancellationToken)
    {
        var extension = "." + job.Output.Format.ToString().ToLowerInvariant();
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
            var key = StorageKeys.New("renders", _clock.GetUtcNow()) + extension;
            var stored = await storage.CommitFileAsync(scratch, key, cancellationToken);
            progress?.Report(100);
            var engine = new EngineRun { FfmpegVersion = await VersionAsync(cancellationToken), Arguments = Canonical(command.Arguments, job, scratch, folder) };
            return new RenderOutput(stored.Key, stored.SizeBytes, stored.Sha256, probe) { Qc = qc, Engine = engine };
        }
        finally
        {
            TryDelete(scratch);
            TryDelete(folder);
        }
    }

    private static string? _version;

    /// <summary>ffmpeg's version line (<c>ffmpeg version 5.1.9-0+deb12u1</c> → <c>5.1.9-0+deb12u1</c>), asked once per process.</summary>
    private async Task<string> VersionAsync(CancellationToken cancellationToken)
    {
        if (_version is null)
        {
            var result = await ProcessRunner.RunAsync(_options.FfmpegPath, ["-hide_banner", "-version"], TimeSpan.FromSeconds(10), cancellationToken);
            var first = result.StandardOutput.Split('\n', 2)[0].Trim();
            _version = first.StartsWith("ffmpeg version ", StringComparison.Ordinal) ? first["ffmpeg version ".Length..].Split(' ')[0] : first;
        }
        return _version;
    }

    /// <summary>The arguments with this run's paths as placeholders (<c>{output}</c>, <c>{scratch}</c>, <c>{asset:ast_…}</c>): the same for every run of a manifest.</summary>
    public static List<string> Canonical(IReadOnlyList<string> arguments, RenderJob job, string output, string scratchFolder)
    {
        var assets = job.AssetFiles.GroupBy(kv => kv.Value.Path, StringComparer.Ordinal)
            .ToDictionary(g => g.Key, g => "{asset:" + g.First().Key + "}", StringComparer.Ordinal);
        return arguments.Select(a => a == output ? "{output}" : assets.TryGetValue(a, out var asset) ? asset : a.Replace(scratchFolder, "{scratch}", StringComparison.Ordinal)).ToList();
    }

    /// <summary>The type an output is probed as (its container's demuxer, forced like every other probe).</summary>
    public static string OutputContentType(OutputFormat format) => format switch
    {
        OutputFormat.Mp4 => "video/mp4",
        OutputFormat.Webm => "video/webm",
        _ => "image/gif",
    };

    /// <summary>Which video layers' files carry an audio stream (one ffprobe per distinct video asset; none for a GIF).</summary>
    private async Task<IReadOnlySet<AssetId>> VideosWithSoundAsync(RenderJob job, CancellationToken cancellationToken)
    {
        var withSound = new HashSet<AssetId>();
        if (job.Output.Format == OutputFormat.Gif)
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
        var (codec, formatName) = output.Format switch
        {
            OutputFormat.Mp4 => ("h264", "mp4"),
            OutputFormat.Webm => ("vp9", "webm"),
            _ => ("gif", "gif"),
        };
        var problems = new List<string>();
        if (probe.VideoCodec != codec)
        {
            problems.Add($"video codec {probe.VideoCodec ?? "none"}, expected {codec}");
        }
        if (!probe.FormatName.Split(',').Contains(formatName))
        {
            problems.Add($"container {probe.FormatName}, expected {formatName}");
        }
        if (probe.Width != output.Width || probe.Height != output.Height)
        {
            problems.Add($"size {probe.Width}x{probe.Height}, expected {output.Width}x{output.Height}");
        }
        // GIF frame delays are whole centiseconds, so 30 fps is stored as 1/0.03 or 1/0.04 s.
        var fpsTolerance = output.Format == OutputFormat.Gif ? output.Fps * 0.25 : 0.01 * output.Fps + 0.01;
        if (probe.Fps is not { } fps || Math.Abs(fps - output.Fps) > fpsTolerance)
        {
            problems.Add($"{probe.Fps:0.###} fps, expected {output.Fps}");
        }
        var frame = 1.0 / output.Fps;
        var durationTolerance = output.Format == OutputFormat.Gif ? Math.Max(frame, 0.1) : frame + 0.001;
        if (probe.DurationSeconds is not { } d || Math.Abs(d - duration) > durationTolerance)
        {
            problems.Add($"duration {probe.DurationSeconds:0.###} s, expected {duration:0.###} s");
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
