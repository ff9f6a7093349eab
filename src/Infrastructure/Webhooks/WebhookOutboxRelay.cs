using Mediator;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using RenderOwl.Application.Webhooks;

namespace RenderOwl.Infrastructure.Webhooks;

/// <summary>
/// The worker's outbox loop (docs/adr/0010): every <see cref="Interval"/> it turns undispatched outbox rows into
/// deliveries (DispatchOutboxCommand, one transaction per batch, rows locked with SKIP LOCKED so workers share the
/// work), until the outbox is empty. A worker that dies mid-batch rolls it back: the rows are taken again.
/// </summary>
public sealed class WebhookOutboxRelay(IServiceScopeFactory scopes, IOptions<Networking.WebhookOptions> options, ILogger<WebhookOutboxRelay> logger) : BackgroundService
{
    public static readonly TimeSpan Interval = TimeSpan.FromMilliseconds(250);
    private const int Batch = 100;

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (!options.Value.Relay)
        {
            return;
        }
        using var timer = new PeriodicTimer(Interval);
        try
        {
            while (await timer.WaitForNextTickAsync(stoppingToken))
            {
                try
                {
                    int taken;
                    do
                    {
                        await using var scope = scopes.CreateAsyncScope();
                        taken = await scope.ServiceProvider.GetRequiredService<ISender>().Send(new DispatchOutboxCommand(Batch), stoppingToken);
                    }
                    while (taken == Batch && !stoppingToken.IsCancellationRequested);
                }
                catch (Exception ex) when (ex is not OperationCanceledException || !stoppingToken.IsCancellationRequested)
                {
                    logger.LogWarning(ex, "Dispatching the webhook outbox failed; trying again");
                }
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
    }
}
