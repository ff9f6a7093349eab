using System.Globalization;
using System.Text.Json;
using RenderOwl.Domain.Rendering;
using RenderOwl.Infrastructure.Media;

namespace RenderOwl.Infrastructure.Rendering;

/// <summary>
/// What follows the render's own pass, each reading the rendered file: the loudness target's second pass (EBU R128,
/// <c>loudnorm</c> measured then applied linearly, the picture copied), the JPEG poster and the contact sheet.
/// Our own files only (the engine's output), never a user's upload, so no demuxer needs forcing.
/// </summary>
internal sealed class OutputFinishing(RenderingOptions options)
{
    public const double TruePeakCeiling = -1.0;
    public const double LoudnessRange = 11;
    private static readonly string[] Quiet = ["-hide_banner", "-nostdin", "-y", "-loglevel", "error"];

    /// <summary>Where a poster is taken when none is asked: 1 s in, or the middle of an output shorter than 2 s.</summary>
    public static double DefaultPosterAt(double duration) => duration >= 2 ? 1 : duration / 2;

    /// <summary>
    /// Two-pass loudness normalisation: the first pass measures the mix (integrated, range, true peak, threshold), the second
    /// applies one gain computed from those figures (<c>linear=true</c>) so the mix's dynamics are kept, and writes
    /// <paramref name="target"/> with the picture stream copied as it is. Returns the measured loudness before.
    /// </summary>
    public async Task<double> NormaliseAsync(string rendered, string target, OutputSettings output, double targetLufs, CancellationToken cancellationToken)
    {
        var filter = $"loudnorm=I={N(targetLufs)}:TP={N(TruePeakCeiling)}:LRA={N(LoudnessRange)}";
        var first = await RunAsync(["-hide_banner", "-nostdin", "-loglevel", "info", "-i", rendered, "-map", "0:a:0", "-af", filter + ":print_format=json", "-f", "null", "-"], cancellationToken);
        var json = first.StandardError[first.StandardError.LastIndexOf('{')..(first.StandardError.LastIndexOf('}') + 1)];
        using var measured = JsonDocument.Parse(json);
        string M(string name) => measured.RootElement.GetProperty(name).GetString()!;
        var apply = $"{filter}:measured_I={M("input_i")}:measured_TP={M("input_tp")}:measured_LRA={M("input_lra")}:measured_thresh={M("input_thresh")}:offset={M("target_offset")}:linear=true,aresample=48000,aformat=channel_layouts=stereo";
        List<string> args = [.. Quiet, "-i", rendered, "-map", "0", "-c:v", "copy", "-af", apply, .. FfmpegCommandBuilder.SoundCodec(output),
            "-fflags", "+bitexact", "-flags:a", "+bitexact", "-map_metadata", "-1", "-map_chapters", "-1", .. FfmpegCommandBuilder.SoundContainer(output), target];
        await RunAsync(args, cancellationToken);
        return double.Parse(M("input_i"), CultureInfo.InvariantCulture);
    }

    /// <summary>The quality detectors of the mix run again on the normalised file (its loudness and silences are the output's).</summary>
    public async Task MeasureAudioAsync(string file, string report, CancellationToken cancellationToken)
    {
        var chain = QualityCheck.AudioChain(FfmpegCommandBuilder.SafePath(report));
        chain = chain[..chain.LastIndexOf(",anullsink", StringComparison.Ordinal)];
        await RunAsync([.. Quiet, "-i", file, "-map", "0:a:0", "-af", chain, "-f", "null", "-"], cancellationToken);
    }

    /// <summary>One frame at <paramref name="at"/> seconds of the output as a JPEG.</summary>
    public Task PosterAsync(string rendered, double at, string target, CancellationToken cancellationToken)
        => RunAsync([.. Quiet, "-ss", N(at), "-i", rendered, "-map", "0:v:0", "-frames:v", "1", "-update", "1", "-c:v", "mjpeg", "-q:v", "3",
            "-pix_fmt", "yuvj420p", "-fflags", "+bitexact", "-flags:v", "+bitexact", "-f", "image2", target], cancellationToken);

    /// <summary>
    /// A contact sheet: <paramref name="count"/> frames evenly spaced over the output (the middle frame of each count-th of
    /// it, picked by number), each at most 320 pixels wide, tiled in a near-square grid with a 4-pixel black gutter, as one JPEG.
    /// </summary>
    public Task ContactSheetAsync(string rendered, double duration, double fps, int count, int width, string target, CancellationToken cancellationToken)
    {
        var columns = (int)Math.Ceiling(Math.Sqrt(count));
        var rows = (int)Math.Ceiling(count / (double)columns);
        var tile = Math.Min(320, width) / 2 * 2;
        var frames = Math.Max(1, (int)Math.Round(duration * fps));
        var picks = Enumerable.Range(0, count).Select(i => Math.Min(frames - 1, (int)Math.Floor((i + 0.5) * frames / count))).Distinct();
        var select = string.Join("+", picks.Select(n => $"eq(n\\,{n})"));
        var graph = $"select={select},scale={tile}:-2,tile={columns}x{rows}:padding=4:margin=4:color=black,format=yuvj420p";
        return RunAsync([.. Quiet, "-i", rendered, "-map", "0:v:0", "-vf", graph, "-frames:v", "1", "-update", "1", "-c:v", "mjpeg", "-q:v", "3",
            "-fflags", "+bitexact", "-flags:v", "+bitexact", "-f", "image2", target], cancellationToken);
    }

    private async Task<ProcessResult> RunAsync(IReadOnlyList<string> args, CancellationToken cancellationToken)
    {
        ProcessResult result;
        try
        {
            result = await ProcessRunner.RunAsync(options.FfmpegPath, args, TimeSpan.FromSeconds(options.TimeoutBaseSeconds + 120), cancellationToken);
        }
        catch (TimeoutException ex)
        {
            throw new Application.Rendering.RenderFailedException("render_timeout", "Finishing the output took too long.", retryable: true, ex.Data["stderr"] as string);
        }
        if (result.ExitCode != 0)
        {
            throw new Application.Rendering.RenderFailedException("finishing_failed", "The output could not be finished (poster, thumbnails or loudness).", retryable: true,
                result.StandardError);
        }
        return result;
    }

    private static string N(double value) => FfmpegCommandBuilder.N(value);
}
