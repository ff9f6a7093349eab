using RenderOwl.Domain.Common;

namespace RenderOwl.Domain.Rendering;

/// <summary>Segment-parallel rendering (ADR 22): a long render split into segments, each a render of its own.</summary>
public sealed partial class Render
{
    /// <summary>A segment's render: the split render it is part of (segments are not shown by the API).</summary>
    public RenderId? ParentId { get; private set; }
    /// <summary>A segment's place in its render, from 0.</summary>
    public int? SegmentIndex { get; private set; }
    /// <summary>A split render: how many segments render it (its own row then waits for them, holding no worker).</summary>
    public int? Segments { get; private set; }

    /// <summary>The lease owner a split render shows while its segments render.</summary>
    public const string SplitOwner = "segments";

    /// <summary>
    /// A claimed render handed to its segments: it stays rendering, but no worker holds it (no lease to renew or lose);
    /// it succeeds when its segments are joined, fails when one of them fails for good.
    /// </summary>
    public void SplitInto(int segments, DateTimeOffset now)
    {
        Require(Status == RenderStatus.Rendering && Segments is null && ParentId is null && segments > 1, "split");
        Segments = segments;
        LeaseOwner = SplitOwner;
        LeaseExpiresAt = null;
        Progress = 0;
    }

    /// <summary>Segment <paramref name="index"/> of a split render: the picture of <paramref name="range"/>, queued where its render was.</summary>
    public static Render SegmentOf(Render parent, int index, TimeRange range, DateTimeOffset now)
    {
        now = Clock.ToStoragePrecision(now);
        return new Render
        {
            Id = TypedId.New<RenderId>(now),
            ProjectId = parent.ProjectId,
            OwnerId = parent.OwnerId,
            TemplateId = parent.TemplateId,
            Status = RenderStatus.Queued,
            Priority = parent.Priority,
            MaxAttempts = parent.MaxAttempts,
            ConcurrencyCap = parent.ConcurrencyCap,
            CompositionJson = parent.CompositionJson,
            Settings = parent.Settings with { Range = range, Segment = true, Poster = null, Thumbnails = null, Loudness = null },
            Watermark = parent.Watermark,
            Tags = [],
            MetadataJson = "{}",
            AssetIds = [.. parent.AssetIds],
            CreatedAt = now,
            QueuedAt = parent.QueuedAt, // its render's place in the queue
            NextAttemptAt = now,
            TraceParent = parent.TraceParent,
            ParentId = parent.Id,
            SegmentIndex = index,
            Counted = false,
        };
    }

    /// <summary>A split render's progress: the sum of its segments' (each an equal share).</summary>
    public void ReportSegmentsProgress(int progress)
    {
        if (Status == RenderStatus.Rendering && Segments is not null)
        {
            Progress = Math.Clamp(progress, Progress, 99);
        }
    }

    /// <summary>A segment's file, joined into its render's output, is removed: the row keeps its figures.</summary>
    public void DropSegmentFile(DateTimeOffset now) => OutputExpiredAt = Clock.ToStoragePrecision(now);
}
