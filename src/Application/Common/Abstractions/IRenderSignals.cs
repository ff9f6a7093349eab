using RenderOwl.Domain.Common;

namespace RenderOwl.Application.Common.Abstractions;

/// <summary>
/// Signals to the workers, sent in the caller's transaction and delivered when it commits (PostgreSQL
/// NOTIFY): a render became due, or a running render should stop.
/// </summary>
public interface IRenderSignals
{
    Task RenderQueuedAsync(CancellationToken cancellationToken);
    Task CancelRequestedAsync(RenderId renderId, CancellationToken cancellationToken);
}

/// <summary>Segment-parallel rendering's coordination: a split render's row locked while a segment's end is recorded, and the join queued.</summary>
public interface ISegmentCoordination
{
    /// <summary>Locks the split render's row until the transaction ends: the ends of its segments are recorded one at a time.</summary>
    Task LockAsync(RenderId renderId, CancellationToken cancellationToken);

    /// <summary>Queues the join of a split render whose segments have all succeeded (a background job that retries).</summary>
    void QueueJoin(RenderId renderId);
}
