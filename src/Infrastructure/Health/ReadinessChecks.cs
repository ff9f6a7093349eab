using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using RenderOwl.Infrastructure.Persistence;
using StackExchange.Redis;

namespace RenderOwl.Infrastructure.Health;

/// <summary>The primary answers and every migration is applied.</summary>
public sealed class DatabaseReadinessCheck(AppDbContext db) : IHealthCheck
{
    private static volatile bool s_migrationsSeenApplied;

    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(TimeSpan.FromSeconds(3));
        try
        {
            await db.Database.ExecuteSqlRawAsync("SELECT 1", timeout.Token);
            if (!s_migrationsSeenApplied)
            {
                var pending = (await db.Database.GetPendingMigrationsAsync(timeout.Token)).Count();
                if (pending > 0)
                {
                    return HealthCheckResult.Unhealthy($"{pending} migration(s) pending");
                }
                s_migrationsSeenApplied = true; // migrations are only added by a deploy, i.e. a new process
            }
            return HealthCheckResult.Healthy();
        }
        catch (Exception ex) when (ex is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            return HealthCheckResult.Unhealthy("database unreachable", ex);
        }
    }
}

public sealed class RedisReadinessCheck(IConnectionMultiplexer redis) : IHealthCheck
{
    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        try
        {
            var latency = await redis.GetDatabase().PingAsync().WaitAsync(TimeSpan.FromSeconds(2), cancellationToken);
            return HealthCheckResult.Healthy($"ping {latency.TotalMilliseconds:0.0} ms");
        }
        catch (Exception ex) when (ex is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            return HealthCheckResult.Unhealthy("redis unreachable", ex);
        }
    }
}
