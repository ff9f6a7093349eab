using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using RenderOwl.Application.Common.Abstractions;
using RenderOwl.Application.Identity;
using RenderOwl.Infrastructure.Persistence;
using StackExchange.Redis;

namespace RenderOwl.Infrastructure.Security;

/// <summary>
/// Ended sessions: a Redis key per ended session, kept for the lifetime of the longest access token (plus the
/// clock skew tokens are validated with), so an authenticated request costs one pipelined round trip. The
/// record of truth is PostgreSQL — a session is ended when its refresh-token family holds a revoked token —
/// and it answers whenever Redis cannot. The mirror is rebuilt from it when Redis has lost it (a restart
/// without persistence: the marker key is gone) and when this instance saw Redis fail (a mark it could not
/// write), before Redis is trusted again.
/// </summary>
public sealed class SessionRevocations(IConnectionMultiplexer redis, IServiceScopeFactory scopes, IOptions<JwtOptions> jwt, TimeProvider clock,
    ILogger<SessionRevocations> logger)
    : ISessionRevocations
{
    private const string Marker = "renderowl:session-ended:mirror";
    private readonly TimeSpan _keep = TimeSpan.FromMinutes(jwt.Value.AccessTokenMinutes) + TimeSpan.FromMinutes(1);
    private readonly SemaphoreSlim _rebuild = new(1, 1);
    private volatile bool _trusted;

    private static RedisKey Key(Guid sessionId) => "renderowl:session-ended:" + sessionId.ToString("N");

    public async Task MarkEndedAsync(Guid sessionId, CancellationToken cancellationToken)
    {
        try
        {
            await redis.GetDatabase().StringSetAsync(Key(sessionId), "1", _keep);
        }
        catch
        {
            _trusted = false; // PostgreSQL has it; the mirror is rebuilt before it is read again
            throw;
        }
    }

    public async Task<bool> IsEndedAsync(Guid sessionId, CancellationToken cancellationToken)
    {
        if (redis.IsConnected)
        {
            try
            {
                var db = redis.GetDatabase();
                var batch = db.CreateBatch();
                var ended = batch.KeyExistsAsync(Key(sessionId));
                var mirrored = batch.KeyExistsAsync(Marker);
                batch.Execute();
                if (await mirrored && _trusted)
                {
                    return await ended;
                }
                try
                {
                    await RebuildAsync(cancellationToken);
                }
                catch (Exception ex) when (ex is not RedisException and not OperationCanceledException)
                {
                    // PostgreSQL is away: Redis's answer is the best there is (the mirror is rebuilt on a later request).
                    logger.LogWarning(ex, "Could not rebuild the ended-session mirror from PostgreSQL; answering from Redis");
                    return await ended;
                }
                return await db.KeyExistsAsync(Key(sessionId));
            }
            catch (Exception ex) when (ex is RedisException or TimeoutException)
            {
                _trusted = false;
                logger.LogWarning(ex, "Redis did not answer whether session {SessionId} ended; asking PostgreSQL", sessionId);
            }
        }
        await using var scope = scopes.CreateAsyncScope();
        return await scope.ServiceProvider.GetRequiredService<AppDbContext>().RefreshTokens
            .AnyAsync(t => t.FamilyId == sessionId && t.RevokedAt != null, cancellationToken);
    }

    /// <summary>Every session ended within an access token's lifetime, written to Redis again; then the marker.</summary>
    private async Task RebuildAsync(CancellationToken cancellationToken)
    {
        await _rebuild.WaitAsync(cancellationToken);
        try
        {
            var db = redis.GetDatabase();
            if (_trusted && await db.KeyExistsAsync(Marker))
            {
                return; // another request rebuilt it meanwhile
            }
            var since = clock.GetUtcNow() - _keep;
            await using var scope = scopes.CreateAsyncScope();
            var families = await scope.ServiceProvider.GetRequiredService<AppDbContext>().RefreshTokens
                .Where(t => t.RevokedAt > since).Select(t => t.FamilyId).Distinct().ToListAsync(cancellationToken);
            foreach (var chunk in families.Chunk(500))
            {
                var batch = db.CreateBatch();
                var writes = chunk.Select(f => batch.StringSetAsync(Key(f), "1", _keep)).ToList();
                batch.Execute();
                await Task.WhenAll(writes);
            }
            await db.StringSetAsync(Marker, "1");
            _trusted = true;
            logger.LogInformation("Mirrored {Count} ended sessions into Redis", families.Count);
        }
        finally
        {
            _rebuild.Release();
        }
    }
}
