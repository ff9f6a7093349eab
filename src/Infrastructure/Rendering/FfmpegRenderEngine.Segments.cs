using RenderOwl.Application.Common.Media;
using RenderOwl.Application.Rendering;
using RenderOwl.Domain.Rendering;

namespace RenderOwl.Infrastructure.Rendering;

/// <summary>
/// The join of a split render: its sound rendered once for the whole timeline (the same graph as any render's, sound
/// only), its segments' pictures concatenated by the concat demuxer with stream copy (each segment is its own encode of
/// whole frames from a key frame with the render's exact settings), then verified, measured and finished like any output.
/// </summary>
public sealed partial class FfmpegRenderEngine : ISegmentJoiner
{
    public async Task<RenderOutput> JoinAsync(RenderJob job, IReadOnlyList<SegmentFile> segments, CancellationToken cancellationToken)
    {
        var extension = "." + OutputFiles.Of(job.Output.Format).Extension;
        var scratch = storage.NewScratchPath(extension);
        var folder = Path.Combine(Path.GetDirectoryName(scratch)!, Path.GetFileNameWithoutExtension(scratch) + "-in");
        Directory.CreateDirectory(folder);
        try
        {
            var seconds = job.Output.OutputSeconds(job.Composition.Seconds);
            var soundFile = Path.Combine(folder, "sound" + (job.Output.Format switch { OutputFormat.Webm => ".webm", OutputFormat.MovAlpha => ".mov", _ => ".m4a" }));
            var sound = FfmpegCommandBuilder.BuildSound(job, soundFile, folder, _options, await VideosWithSoundAsync(job, cancellationToken));
            if (sound is not null)
            {
                foreach (var (file, bytes) in sound.Files)
                {
                    await File.WriteAllBytesAsync(file, bytes, cancellationToken);
                }
                await RunFfmpegAsync(sound, seconds, null, cancellationToken);
            }
            var list = Path.Combine(folder, "segments.ffconcat");
            await File.WriteAllTextAsync(list, "ffconcat version 1.0\n" + string.Concat(segments.Select(s => $"file '{FfmpegCommandBuilder.SafePath(s.Path)}'\n")), cancellationToken);
            List<string> args = ["-hide_banner", "-nostdin", "-y", "-loglevel", "error", "-f", "concat", "-safe", "0", "-i", list];
            if (sound is not null)
            {
                args.AddRange(["-i", soundFile]);
            }
            args.AddRange(["-map", "0:v:0", .. sound is null ? Array.Empty<string>() : ["-map", "1:a:0"], "-c", "copy",
                "-fflags", "+bitexact", "-map_metadata", "-1", "-map_chapters", "-1", .. FfmpegCommandBuilder.SoundContainer(job.Output), scratch]);
            await RunFfmpegAsync(new FfmpegCommand(args, new Dictionary<string, byte[]>()), seconds, null, cancellationToken);
            var probe = await ProbeAsync(new MediaFile(scratch, OutputContentType(job.Output.Format)), cancellationToken);
            Verify(probe, job.Output, seconds);
            var mix = sound is null ? new QualityReport() : await QualityCheck.ReadAsync(sound.QualityReports, audio: true, seconds);
            var qc = mix with
            {
                BlackSegments = Joined(segments.Select(s => (s.Start, s.Qc?.BlackSegments))),
                FrozenSegments = Joined(segments.Select(s => (s.Start, s.Qc?.FrozenSegments))),
            };
            return await CompleteAsync(job, scratch, folder, probe, qc, seconds, Canonical(args, job, scratch, folder), null, cancellationToken);
        }
        finally
        {
            TryDelete(scratch);
            TryDelete(folder);
        }
    }

    /// <summary>The segments' stretches on the output's clock, one stretch where a segment's ends where the next one's begins.</summary>
    public static List<TimeSegment> Joined(IEnumerable<(double Start, List<TimeSegment>? Found)> segments)
    {
        var all = new List<TimeSegment>();
        foreach (var (start, found) in segments)
        {
            foreach (var f in found ?? [])
            {
                var shifted = new TimeSegment(Math.Round(f.Start + start, 3), Math.Round(f.End + start, 3));
                if (all.Count > 0 && shifted.Start - all[^1].End <= 0.001)
                {
                    all[^1] = all[^1] with { End = shifted.End };
                }
                else
                {
                    all.Add(shifted);
                }
            }
        }
        return all;
    }
}
