using Microsoft.EntityFrameworkCore;
using RenderOwl.Application.Common.Abstractions;
using RenderOwl.Domain.Common;
using RenderOwl.Infrastructure.Persistence;

namespace RenderOwl.Infrastructure.Rendering;

/// <summary>The NOTIFY channels between the API and the workers: named here only.</summary>
public static class RenderChannels
{
    /// <summary>A render became due; payload empty. Workers LISTEN and claim.</summary>
    public const string Queued = "render_queued";

    /// <summary>A running render should stop; payload the render's UUID. The worker holding it stops ffmpeg.</summary>
    public const string Cancel = "render_cancel";
}

/// <summary>NOTIFY on the unit of work's own connection: inside its transaction, so it is delivered at commit or never.</summary>
public sealed class RenderSignals(AppDbContext db) : IRenderSignals
{
    public Task RenderQueuedAsync(CancellationToken cancellationToken)
        => db.Database.ExecuteSqlInterpolatedAsync(RenderQueueSql.NotifyQueued(), cancellationToken);

    public Task CancelRequestedAsync(RenderId renderId, CancellationToken cancellationToken)
        => db.Database.ExecuteSqlInterpolatedAsync(RenderQueueSql.NotifyCancel(renderId.Value), cancellationToken);
}
