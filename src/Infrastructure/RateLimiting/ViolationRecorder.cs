using System.Diagnostics.Metrics;
using System.Threading.Channels;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using RenderOwl.Application.Common.Abstractions;
using RenderOwl.Domain.Operations;
using RenderOwl.Infrastructure.Persistence;

namespace RenderOwl.Infrastructure.RateLimiting;

/// <summary>
/// Rate-limit violations are queued in memory and written in batches (up to 500 rows in one statement, at
/// least every second), so a flood of refused requests never turns into a flood of inserts. When the queue
/// is full the oldest entries are dropped and counted.
/// </summary>
public sealed class ViolationRecorder(IServiceScopeFactory scopes, TimeProvider clock, ILogger<ViolationRecorder> logger) : BackgroundService, IRateLimitViolations
{
    public const int BatchSize = 500;
    public const int Capacity = 20_000;
    /// <summary>Registered with OpenTelemetry in Program.cs, so the dropped count reaches /metrics.</summary>
    public const string MeterName = "RenderOwl.RateLimiting.Violations";
    private static readonly Meter Meter = new(MeterName);
    private static readonly Counter<long> Dropped = Meter.CreateCounter<long>("renderowl.ratelimit.violations.dropped", description: "Rate-limit violations dropped unrecorded because their queue was full");

    private readonly Channel<RateLimitViolation> _queue = Channel.CreateBounded<RateLimitViolation>(
        new BoundedChannelOptions(Capacity) { FullMode = BoundedChannelFullMode.DropOldest, SingleReader = true },
        _ => Dropped.Add(1));

    public void Record(string principal, string policy, string method, string path, string ipAddress)
        => Record(RateLimitViolation.Record(principal, policy, method, path, ipAddress, clock.GetUtcNow()));

    public void Record(RateLimitViolation violation) => _queue.Writer.TryWrite(violation);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var batch = new List<RateLimitViolation>(BatchSize);
        try
        {
            while (await _queue.Reader.WaitToReadAsync(stoppingToken))
            {
                using var window = new CancellationTokenSource(TimeSpan.FromSeconds(1));
                while (batch.Count < BatchSize)
                {
                    while (batch.Count < BatchSize && _queue.Reader.TryRead(out var item))
                    {
                        batch.Add(item);
                    }
                    if (batch.Count >= BatchSize || !await WaitMoreAsync(window.Token, stoppingToken))
                    {
                        break;
                    }
                }
                await WriteAsync(batch);
                batch.Clear();
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
        while (_queue.Reader.TryRead(out var rest))
        {
            batch.Add(rest);
        }
        await WriteAsync(batch);
    }

    private async Task<bool> WaitMoreAsync(CancellationToken window, CancellationToken stopping)
    {
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(window, stopping);
        try
        {
            return await _queue.Reader.WaitToReadAsync(linked.Token);
        }
        catch (OperationCanceledException) when (!stopping.IsCancellationRequested)
        {
            return false; // the batching window closed
        }
    }

    private async Task WriteAsync(List<RateLimitViolation> batch)
    {
        if (batch.Count == 0)
        {
            return;
        }
        try
        {
            await using var scope = scopes.CreateAsyncScope();
            var db = scope.ServiceProvider.GetRequiredService<AppDbContext>();
            db.RateLimitViolations.AddRange(batch);
            await db.SaveChangesAsync(CancellationToken.None);
        }
        catch (Exception ex)
        {
            logger.LogWarning(ex, "Could not record {Count} rate-limit violation(s)", batch.Count);
        }
    }
}
