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
