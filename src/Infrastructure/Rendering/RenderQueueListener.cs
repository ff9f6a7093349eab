using Microsoft.Extensions.Logging;
using RenderOwl.Infrastructure.Observability;
using RenderOwl.Infrastructure.Persistence;

namespace RenderOwl.Infrastructure.Rendering;

/// <summary>
/// The worker's ear: <c>LISTEN render_queued, render_cancel</c> on one connection, reconnecting after a loss
/// (the dispatcher polls meanwhile). After every (re)connect it reports a wake, for anything queued unheard.
/// </summary>
internal sealed class RenderQueueListener(DataSources databases, ILogger logger, Action onQueued, Action<Guid> onCancel)
{
    public async Task RunAsync(CancellationToken stoppingToken)
    {
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                // A session that waits for NOTIFY: never through a transaction pooler (ConnectionStrings:PrimaryDirect).
                await using var connection = await databases.Direct.OpenConnectionAsync(stoppingToken);
                connection.Notification += (_, e) =>
                {
                    if (e.Channel == RenderChannels.Queued)
                    {
                        logger.LogDebug("Woken: work was queued");
                        onQueued();
                    }
                    else if (e.Channel == RenderChannels.Cancel && Guid.TryParse(e.Payload, out var id))
                    {
                        onCancel(id);
                    }
                };
                await using (var listen = connection.CreateCommand())
                {
                    listen.CommandText = RenderQueueSql.Listen;
                    await listen.ExecuteNonQueryProfiledAsync(databases.Profiler, DataSources.PrimaryName, stoppingToken);
                }
                onQueued(); // anything queued while we were not listening
                while (!stoppingToken.IsCancellationRequested)
                {
                    await connection.WaitAsync(stoppingToken);
                }
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception ex)
            {
                logger.LogWarning(ex, "Lost the notification connection; polling until it is back");
                try
                {
                    await Task.Delay(TimeSpan.FromSeconds(1), stoppingToken);
                }
                catch (OperationCanceledException)
                {
                    return;
                }
            }
        }
    }
}
