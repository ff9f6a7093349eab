using System.Collections.Concurrent;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using RenderOwl.Application.Common.Abstractions;
using RenderOwl.Infrastructure.Persistence;

namespace RenderOwl.Infrastructure.Security;

/// <summary>
/// last_used_at without a database write per request: uses are noted in memory and written every
/// <see cref="FlushInterval"/> in one UPDATE for all keys used since.
/// </summary>
public sealed class ApiKeyUsageTracker(IServiceScopeFactory scopes, TimeProvider clock, ILogger<ApiKeyUsageTracker> logger) : BackgroundService, IApiKeyUsage
{
    public static readonly TimeSpan FlushInterval = TimeSpan.FromSeconds(15);
    private ConcurrentDictionary<Guid, DateTimeOffset> _pending = new();

    public void Touch(Guid keyId) => _pending[keyId] = clock.GetUtcNow();

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(FlushInterval);
        try
        {
            while (await timer.WaitForNextTickAsync(stoppingToken))
            {
                await FlushAsync(CancellationToken.None);
            }
        }
        catch (OperationCanceledException)
        {
        }
        await FlushAsync(CancellationToken.None); // on shutdown, keep what was noted
    }

    public async Task FlushAsync(CancellationToken cancellationToken)
    {
        var batch = Interlocked.Exchange(ref _pending, new ConcurrentDictionary<Guid, DateTimeOffset>());
        if (batch.IsEmpty)
        {
            return;
        }
        try
        {
            await using var scope = scopes.CreateAsyncScope();
            var db = scope.ServiceProvider.GetRequiredService<AppDbContext>();
            var ids = batch.Keys.ToArray();
            var times = ids.Select(id => batch[id]).ToArray();
            await db.Database.ExecuteSqlInterpolatedAsync(TouchLastUsed(ids, times), cancellationToken);
        }
        catch (Exception ex)
        {
            logger.LogWarning(ex, "Could not record last use of {Count} API key(s)", batch.Count);
        }
    }

    /// <summary>One statement for the whole batch; a later use already recorded (another instance) is never moved back.</summary>
    private static FormattableString TouchLastUsed(Guid[] ids, DateTimeOffset[] times) => $"""
        UPDATE identity.api_keys AS k SET last_used_at = GREATEST(COALESCE(k.last_used_at, u.at), u.at)
        FROM unnest({ids}, {times}) AS u(id, at) WHERE k.id = u.id
        """;
}
