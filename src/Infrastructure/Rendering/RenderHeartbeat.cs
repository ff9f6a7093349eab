using Microsoft.Extensions.Logging;
using Npgsql;
using RenderOwl.Application.Common.Caching;
using RenderOwl.Domain.Common;
using RenderOwl.Infrastructure.Observability;
using RenderOwl.Infrastructure.Persistence;

namespace RenderOwl.Infrastructure.Rendering;

/// <summary>A running attempt as the dispatcher and its heartbeat share it.</summary>
internal sealed class RunningRender(CancellationTokenSource stop)
{
    public CancellationTokenSource Stop { get; } = stop;
    public volatile bool CancelRequested;
    public volatile bool Releasing;
    public volatile bool LeaseLost;
}

/// <summary>The engine's latest progress, read by the heartbeat.</summary>
internal sealed class LatestProgress : IProgress<double>
{
    private int _value;
    public int Value => Volatile.Read(ref _value);
    public void Report(double value) => Volatile.Write(ref _value, (int)Math.Floor(value));
}

/// <summary>
/// Every beat of a running attempt: write its progress if it moved (never backwards; 100 only when stored),
/// renew its lease, and learn of a cancel request in case the NOTIFY was missed. The attempt number is part of
/// the match: if this worker's lease lapsed (a stall) and it claimed the render again, the old run finds itself
/// superseded and stops instead of heartbeating beside the new one.
/// </summary>
internal sealed class RenderHeartbeat(DataSources databases, string worker, DispatcherOptions options, AppCache cache, ILogger logger)
{
    public async Task RunAsync(RenderId id, int attempt, RunningRender running, LatestProgress progress, CancellationToken stop)
    {
        var written = -1;
        using var timer = new PeriodicTimer(TimeSpan.FromMilliseconds(options.ProgressIntervalMs));
        try
        {
            while (await timer.WaitForNextTickAsync(stop))
            {
                var shown = Math.Max(written, Math.Clamp(progress.Value, 0, 99));
                await using var beat = databases.Primary.CreateCommand(RenderQueueSql.Heartbeat);
                beat.Parameters.Add(new NpgsqlParameter { Value = id.Value });
                beat.Parameters.Add(new NpgsqlParameter { Value = worker });
                beat.Parameters.Add(new NpgsqlParameter { Value = shown });
                beat.Parameters.Add(new NpgsqlParameter { Value = options.LeaseSeconds });
                beat.Parameters.Add(new NpgsqlParameter { Value = attempt });
                var result = await beat.ExecuteScalarProfiledAsync(databases.Profiler, DataSources.PrimaryName, stop);
                if (result is not null && shown != written)
                {
                    await DropCachedAsync(id); // progress moved: readers see it on their next GET
                }
                written = shown;
                if (result is null)
                {
                    running.LeaseLost = true; // someone else owns it now: stop quietly
                    await running.Stop.CancelAsync();
                    return;
                }
                if (result is true && !running.CancelRequested)
                {
                    running.CancelRequested = true;
                    await running.Stop.CancelAsync();
                }
            }
        }
        catch (OperationCanceledException) when (stop.IsCancellationRequested)
        {
        }
        catch (Exception ex)
        {
            logger.LogWarning(ex, "Heartbeat of render {RenderId} failed", id);
        }
    }

    private async Task DropCachedAsync(RenderId id)
    {
        try
        {
            await cache.InvalidateAsync([CacheKeys.Render(id)], CancellationToken.None);
        }
        catch (Exception ex)
        {
            // The lease matters more than a fresh progress figure: the beat goes on.
            logger.LogDebug(ex, "Could not drop the cached read of render {RenderId}", id);
        }
    }
}
