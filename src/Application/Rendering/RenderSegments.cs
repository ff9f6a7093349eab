using System.ComponentModel.DataAnnotations;
using RenderOwl.Domain.Rendering;

namespace RenderOwl.Application.Rendering;

/// <summary>Segment-parallel rendering (<c>Rendering:Segments</c>).</summary>
public sealed class RenderSegmentOptions
{
    public const string Section = "Rendering:Segments";

    /// <summary>Renders whose output is longer than this are split; 0 turns splitting off.</summary>
    [Range(0, 86_400)]
    public double MinSeconds { get; set; } = 60;

    /// <summary>How long each segment is (the last one takes what is left).</summary>
    [Range(1, 3_600)]
    public double Seconds { get; set; } = 30;
}

/// <summary>
/// How a render is split: segments of whole frames (each starts on a frame boundary and is encoded as a stream of its own
/// from a key frame, with the render's exact encoder settings), so the concat demuxer can join them without re-encoding.
/// Only the picture is split; the sound is made once for the whole timeline when the segments are joined.
/// </summary>
public static class RenderSegments
{
    /// <summary>The ranges on the timeline, in order; empty when the render is not split (too short, not a video format that joins by stream copy, or a segment itself).</summary>
    public static IReadOnlyList<TimeRange> Plan(OutputSettings output, double compositionSeconds, RenderSegmentOptions options)
    {
        var seconds = output.OutputSeconds(compositionSeconds);
        if (options.MinSeconds <= 0 || output.Segment || !output.IsVideo || output.Format == OutputFormat.Gif || seconds <= options.MinSeconds)
        {
            return [];
        }
        var fps = output.RenderFps;
        var totalFrames = (long)Math.Round(seconds * fps);
        var perSegment = Math.Max(1, (long)Math.Round(options.Seconds * fps));
        var ranges = new List<TimeRange>();
        for (long first = 0; first < totalFrames; first += perSegment)
        {
            var frames = Math.Min(perSegment, totalFrames - first);
            ranges.Add(new TimeRange(output.TimelineStart + (first / fps), frames / fps));
        }
        return ranges.Count > 1 ? ranges : [];
    }
}
