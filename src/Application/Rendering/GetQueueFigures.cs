using Mediator;
using Microsoft.EntityFrameworkCore;
using RenderOwl.Application.Common.Abstractions;
using RenderOwl.Domain.Rendering;

namespace RenderOwl.Application.Rendering;

/// <summary>
/// The queues as operators see them: renders by priority (<c>renders:urgent</c> … <c>renders:low</c>) and the
/// background job queue (<c>jobs</c>, Hangfire), each with depth, in flight, failed and succeeded in the last hour,
/// and mean wait and run times of the last hour; plus the render totals and p50/p95 of the last hour.
/// </summary>
public sealed record QueueFigures(IReadOnlyDictionary<string, int> QueuedByPriority, int Running, int FailedLastHour, int SucceededLastHour,
    double? WaitP50Ms, double? WaitP95Ms, double? RunP50Ms, double? RunP95Ms, IReadOnlyList<QueueFigure> Queues);

/// <summary>One queue. <c>Failed</c>/<c>Succeeded</c>/means cover the last hour; null where the queue cannot tell.</summary>
public sealed record QueueFigure(string Name, int Depth, int InFlight, int? Failed, int? Succeeded, double? MeanWaitMs, double? MeanRunMs);

/// <summary>The background job queue's figures (Hangfire, in Infrastructure).</summary>
public interface IJobQueueFigures
{
    QueueFigure Read();
}

public sealed record GetQueueFiguresQuery : IQuery<QueueFigures>;

/// <summary>
/// Everything is computed in the database (counts, averages, and each percentile as one ordered index-free
/// lookup), so the figures cost a few small queries whatever the volume of the last hour.
/// </summary>
public sealed class GetQueueFiguresHandler(IAppDbContext db, IJobQueueFigures jobs, TimeProvider clock) : IQueryHandler<GetQueueFiguresQuery, QueueFigures>
{
    public async ValueTask<QueueFigures> Handle(GetQueueFiguresQuery query, CancellationToken cancellationToken)
    {
        var hourAgo = clock.GetUtcNow().AddHours(-1);
        var open = await db.Renders.Where(r => r.Status == RenderStatus.Queued || r.Status == RenderStatus.Rendering)
            .GroupBy(r => new { r.Priority, r.Status })
            .Select(g => new { g.Key.Priority, g.Key.Status, Count = g.Count() }).ToListAsync(cancellationToken);
        var recent = db.Renders.Where(r => r.FinishedAt > hourAgo);
        var finished = await recent.GroupBy(r => r.Priority)
            .Select(g => new
            {
                Priority = g.Key,
                Failed = g.Count(r => r.Status == RenderStatus.Failed),
                Succeeded = g.Count(r => r.Status == RenderStatus.Succeeded),
                MeanWait = g.Average(r => (double?)r.WaitMs),
                MeanRun = g.Where(r => r.Status == RenderStatus.Succeeded).Average(r => (double?)r.RunMs),
                Waits = g.Count(r => r.WaitMs != null),
                Runs = g.Count(r => r.Status == RenderStatus.Succeeded && r.RunMs != null),
            }).ToListAsync(cancellationToken);
        var waits = recent.Where(r => r.WaitMs != null).Select(r => r.WaitMs!.Value);
        var runs = recent.Where(r => r.Status == RenderStatus.Succeeded && r.RunMs != null).Select(r => r.RunMs!.Value);
        var (waitCount, runCount) = (finished.Sum(f => f.Waits), finished.Sum(f => f.Runs));

        int Open(RenderPriority p, RenderStatus s) => open.FirstOrDefault(o => o.Priority == p && o.Status == s)?.Count ?? 0;
        var queues = Enum.GetValues<RenderPriority>().OrderByDescending(p => p).Select(p =>
        {
            var mine = finished.FirstOrDefault(f => f.Priority == p);
            return new QueueFigure("renders:" + p.ToString().ToLowerInvariant(), Open(p, RenderStatus.Queued), Open(p, RenderStatus.Rendering),
                mine?.Failed ?? 0, mine?.Succeeded ?? 0,
                mine?.MeanWait is { } wait ? Math.Round(wait, 1) : null, mine?.MeanRun is { } run ? Math.Round(run, 1) : null);
        }).Append(jobs.Read()).ToList();
        return new QueueFigures(
            Enum.GetValues<RenderPriority>().ToDictionary(p => p.ToString().ToLowerInvariant(), p => Open(p, RenderStatus.Queued)),
            open.Where(o => o.Status == RenderStatus.Rendering).Sum(o => o.Count),
            finished.Sum(f => f.Failed), finished.Sum(f => f.Succeeded),
            await PercentileAsync(waits, waitCount, 0.5, cancellationToken), await PercentileAsync(waits, waitCount, 0.95, cancellationToken),
            await PercentileAsync(runs, runCount, 0.5, cancellationToken), await PercentileAsync(runs, runCount, 0.95, cancellationToken), queues);
    }

    /// <summary>The nearest-rank percentile: the value at rank ⌈p·n⌉ in ascending order, read by the database.</summary>
    private static async Task<double?> PercentileAsync(IQueryable<long> values, int count, double p, CancellationToken cancellationToken)
    {
        if (count == 0)
        {
            return null;
        }
        var rank = Math.Clamp((int)Math.Ceiling(p * count) - 1, 0, count - 1);
        return await values.OrderBy(v => v).Skip(rank).Select(v => (double?)v).FirstOrDefaultAsync(cancellationToken);
    }
}
