using System.Collections.Concurrent;
using Mediator;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Npgsql;
using RenderOwl.Application.Common.Abstractions;
using RenderOwl.Application.Rendering;
using RenderOwl.Domain.Common;

namespace RenderOwl.Infrastructure.Rendering;

public sealed class DispatcherOptions
{
    public const string Section = "Rendering:Dispatcher";
    /// <summary>Renders this worker runs at once (default: one per core).</summary>
    public int Slots { get; set; } = Environment.ProcessorCount;
    public double LeaseSeconds { get; set; } = 30;
    /// <summary>Progress is written at most this often per render; the lease is renewed on the same beat.</summary>
    public int ProgressIntervalMs { get; set; } = 500;
    /// <summary>Claims are also tried this often, in case a notification was missed.</summary>
    public double PollSeconds { get; set; } = 2;
    /// <summary>On shutdown, running renders get this long to finish before they are released back to the queue.</summary>
    public double ShutdownGraceSeconds { get; set; } = 20;
}

/// <summary>
/// RenderOwl's render dispatcher (see docs/adr/0002): claims renders with <c>FOR UPDATE SKIP LOCKED</c> in
/// priority order, fair between accounts and never above an account's concurrency cap; wakes on
/// <c>LISTEN render_queued</c> (polling as a fallback); holds a lease renewed while ffmpeg runs; stops a
/// render on <c>NOTIFY render_cancel</c>; on shutdown stops claiming, lets running renders finish within a
/// grace period and releases the rest to the queue without counting the attempt.
/// </summary>
public sealed class RenderDispatcher(
    IServiceScopeFactory scopes, IRenderEngine engine, IObjectStorage storage, IConfiguration configuration,
    IOptions<DispatcherOptions> options, ILogger<RenderDispatcher> logger) : BackgroundService
{
    private readonly DispatcherOptions _options = options.Value;
    private readonly string _connectionString = configuration.GetConnectionString("Primary")!;
    /// <summary>Completed by any wake-up (work queued, a slot freed); re-armed by the loop before it claims, so no wake is lost.</summary>
    private TaskCompletionSource _wake = NewSignal();

    private static TaskCompletionSource NewSignal() => new(TaskCreationOptions.RunContinuationsAsynchronously);

    private void Wake() => Volatile.Read(ref _wake).TrySetResult();
    private readonly ConcurrentDictionary<Guid, RunningRender> _running = new();

    public string WorkerId { get; } = $"{Environment.MachineName}:{Environment.ProcessId}:{Guid.NewGuid().ToString("N")[..8]}";

    private sealed class RunningRender(CancellationTokenSource stop)
    {
        public CancellationTokenSource Stop { get; } = stop;
        public volatile bool CancelRequested;
        public volatile bool Releasing;
        public volatile bool LeaseLost;
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        logger.LogInformation("Render dispatcher {Worker} started with {Slots} slot(s)", WorkerId, _options.Slots);
        var listener = ListenAsync(stoppingToken);
        var tasks = new List<Task>();
        var lastRescue = DateTime.MinValue;
        while (!stoppingToken.IsCancellationRequested)
        {
            tasks.RemoveAll(t => t.IsCompleted);
            if (_wake.Task.IsCompleted)
            {
                Volatile.Write(ref _wake, NewSignal()); // re-armed before claiming: a wake during the claim is kept
            }
            var wake = _wake.Task;
            try
            {
                if (DateTime.UtcNow - lastRescue > TimeSpan.FromSeconds(Math.Max(1, _options.LeaseSeconds / 3)))
                {
                    lastRescue = DateTime.UtcNow;
                    await SendAsync(new RescueLapsedRendersCommand(), CancellationToken.None);
                }
                while (tasks.Count < _options.Slots && await ClaimAsync(stoppingToken) is { } claimed)
                {
                    tasks.Add(RunAsync(claimed));
                }
            }
            catch (Exception ex) when (ex is not OperationCanceledException || !stoppingToken.IsCancellationRequested)
            {
                logger.LogWarning(ex, "Claiming renders failed; retrying");
            }
            try
            {
                var finishedOne = tasks.Count > 0 ? Task.WhenAny(tasks) : Task.Delay(Timeout.Infinite, stoppingToken);
                await Task.WhenAny(wake, finishedOne, Task.Delay(TimeSpan.FromSeconds(_options.PollSeconds), stoppingToken));
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
            }
        }

        // Shutdown: no more claims. Let running renders finish within the grace period, release the rest.
        logger.LogInformation("Render dispatcher stopping: {Count} render(s) running", _running.Count);
        var all = Task.WhenAll(tasks);
        if (await Task.WhenAny(all, Task.Delay(TimeSpan.FromSeconds(_options.ShutdownGraceSeconds))) != all)
        {
            foreach (var running in _running.Values)
            {
                running.Releasing = true;
                await running.Stop.CancelAsync();
            }
            await all;
        }
        await listener;
    }

    private async Task ListenAsync(CancellationToken stoppingToken)
    {
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                await using var connection = new NpgsqlConnection(_connectionString);
                await connection.OpenAsync(stoppingToken);
                connection.Notification += (_, e) =>
                {
                    if (e.Channel == "render_queued")
                    {
                        logger.LogDebug("Woken: work was queued");
                        Wake();
                    }
                    else if (e.Channel == "render_cancel" && Guid.TryParse(e.Payload, out var id) && _running.TryGetValue(id, out var running))
                    {
                        running.CancelRequested = true;
                        running.Stop.Cancel();
                    }
                };
                await using (var listen = new NpgsqlCommand("LISTEN render_queued; LISTEN render_cancel;", connection))
                {
                    await listen.ExecuteNonQueryAsync(stoppingToken);
                }
                Wake(); // anything queued while we were not listening
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

    /// <summary>
    /// One claim. Candidates are each account's best queued render (priority, then age), ordered by priority,
    /// then by the account served longest ago, then age. Per candidate: the account's bookkeeping row is locked
    /// for the transaction (serialising claims for that account), the running count is checked against its cap,
    /// and the render row is taken by an UPDATE that re-checks <c>status = 'Queued'</c> after any wait, so two
    /// workers never take one render nor exceed a cap together. Accounts already being claimed are skipped (SKIP LOCKED).
    /// </summary>
    public async Task<RenderId?> ClaimAsync(CancellationToken cancellationToken)
    {
        await using var connection = new NpgsqlConnection(_connectionString);
        await connection.OpenAsync(cancellationToken);
        var candidates = new List<(Guid Id, Guid Owner, int Cap)>();
        await using (var select = new NpgsqlCommand("""
            WITH running AS (
              SELECT owner_id, count(*)::int AS n FROM rendering.renders WHERE status = 'Rendering' GROUP BY owner_id
            ), best AS (
              SELECT DISTINCT ON (r.owner_id) r.id, r.owner_id, r.priority, r.queued_at, r.concurrency_cap
              FROM rendering.renders r
              WHERE r.status = 'Queued' AND r.next_attempt_at <= now()
              ORDER BY r.owner_id, r.priority DESC, r.queued_at, r.id
            )
            SELECT b.id, b.owner_id, b.concurrency_cap FROM best b
            LEFT JOIN running ru ON ru.owner_id = b.owner_id
            LEFT JOIN rendering.account_turns t ON t.owner_id = b.owner_id
            WHERE COALESCE(ru.n, 0) < b.concurrency_cap
            ORDER BY b.priority DESC, t.last_claimed_at NULLS FIRST, b.queued_at, b.id
            LIMIT 8
            """, connection))
        await using (var reader = await select.ExecuteReaderAsync(cancellationToken))
        {
            while (await reader.ReadAsync(cancellationToken))
            {
                candidates.Add((reader.GetGuid(0), reader.GetGuid(1), reader.GetInt32(2)));
            }
        }
        logger.LogDebug("Claim: {Count} candidate(s)", candidates.Count);
        foreach (var (id, owner, cap) in candidates)
        {
            await using var tx = await connection.BeginTransactionAsync(cancellationToken);
            // A row lock is waited for, briefly (a just-committed insert can leave a key-share lock behind for an instant).
            await using (var timeout = new NpgsqlCommand("SET LOCAL lock_timeout = '1s'", connection, tx))
            {
                await timeout.ExecuteNonQueryAsync(cancellationToken);
            }
            // The account's bookkeeping row, locked for this transaction: claims for one account happen one at a time.
            await using (var ensure = new NpgsqlCommand(
                "INSERT INTO rendering.account_turns (owner_id, last_claimed_at) VALUES ($1, '-infinity') ON CONFLICT (owner_id) DO NOTHING", connection, tx))
            {
                ensure.Parameters.AddWithValue(owner);
                await ensure.ExecuteNonQueryAsync(cancellationToken);
            }
            await using (var lockOwner = new NpgsqlCommand("SELECT 1 FROM rendering.account_turns WHERE owner_id = $1 FOR UPDATE SKIP LOCKED", connection, tx))
            {
                lockOwner.Parameters.AddWithValue(owner);
                if (await lockOwner.ExecuteScalarAsync(cancellationToken) is null)
                {
                    logger.LogDebug("Skip {RenderId}: account locked by another claim", id);
                    continue; // another worker is claiming for this account right now
                }
            }
            await using (var count = new NpgsqlCommand("SELECT count(*)::int FROM rendering.renders WHERE owner_id = $1 AND status = 'Rendering'", connection, tx))
            {
                count.Parameters.AddWithValue(owner);
                if ((int)(await count.ExecuteScalarAsync(cancellationToken))! >= cap)
                {
                    logger.LogDebug("Skip {RenderId}: account at its cap of {Cap}", id, cap);
                    continue;
                }
            }
            await using var take = new NpgsqlCommand("""
                UPDATE rendering.renders SET status = 'Rendering', attempts = attempts + 1, started_at = now(), progress = 0,
                  wait_ms = COALESCE(wait_ms, (extract(epoch FROM now() - queued_at) * 1000)::bigint),
                  lease_owner = $2, lease_expires_at = now() + make_interval(secs => $3)
                WHERE id = $1 AND status = 'Queued'
                RETURNING attempts
                """, connection, tx);
            take.Parameters.AddWithValue(id);
            take.Parameters.AddWithValue(WorkerId);
            take.Parameters.AddWithValue(_options.LeaseSeconds);
            object? taken;
            try
            {
                taken = await take.ExecuteScalarAsync(cancellationToken);
            }
            catch (PostgresException ex) when (ex.SqlState == PostgresErrorCodes.LockNotAvailable)
            {
                continue; // held by a long transaction: leave it for the next round
            }
            if (taken is not int attempt)
            {
                logger.LogDebug("Skip {RenderId}: taken or locked by another worker", id);
                continue;
            }
            await using (var turn = new NpgsqlCommand("""
                INSERT INTO rendering.account_turns (owner_id, last_claimed_at) VALUES ($1, clock_timestamp())
                  ON CONFLICT (owner_id) DO UPDATE SET last_claimed_at = excluded.last_claimed_at
                """, connection, tx))
            {
                turn.Parameters.AddWithValue(owner);
                await turn.ExecuteNonQueryAsync(cancellationToken);
            }
            await using (var started = new NpgsqlCommand(
                "INSERT INTO rendering.render_events (render_id, status, attempt, message, occurred_at) VALUES ($1, 'rendering', $2, 'started', now())", connection, tx))
            {
                started.Parameters.AddWithValue(id);
                started.Parameters.AddWithValue(attempt);
                await started.ExecuteNonQueryAsync(cancellationToken);
            }
            await tx.CommitAsync(cancellationToken);
            logger.LogDebug("Claimed render {RenderId}, attempt {Attempt}", id, attempt);
            return new RenderId(id);
        }
        return null;
    }

    private async Task RunAsync(RenderId id)
    {
        using var stop = new CancellationTokenSource();
        var running = new RunningRender(stop);
        _running[id.Value] = running;
        var progress = new LatestProgress();
        using var heartbeatStop = new CancellationTokenSource();
        var heartbeat = HeartbeatAsync(id, running, progress, heartbeatStop.Token);
        AttemptOutcome? outcome;
        try
        {
            var claimed = await SendAsync(new LoadClaimedRenderQuery(id), CancellationToken.None)
                ?? throw new RenderFailedException("render_missing", "The render disappeared.", retryable: false);
            var files = await ResolveAssetsAsync(claimed);
            var output = await engine.RenderAsync(new RenderJob(claimed.Composition, claimed.Output, files, claimed.Watermark), progress, stop.Token);
            outcome = new AttemptOutcome.Succeeded(output);
        }
        catch (OperationCanceledException) when (stop.IsCancellationRequested)
        {
            outcome = running.LeaseLost ? null : running.Releasing ? new AttemptOutcome.Released() : new AttemptOutcome.Canceled();
        }
        catch (RenderFailedException ex)
        {
            logger.LogWarning("Render {RenderId} attempt failed: {Code} {Diagnostics}", id, ex.Code, ex.Diagnostics);
            outcome = new AttemptOutcome.Failed(ex.Code, ex.Message, ex.Retryable);
        }
        catch (Exception ex)
        {
            logger.LogError(ex, "Render {RenderId} attempt failed unexpectedly", id);
            outcome = new AttemptOutcome.Failed("internal_error", "The render failed unexpectedly.", Retryable: true);
        }
        await heartbeatStop.CancelAsync();
        await heartbeat;
        _running.TryRemove(id.Value, out _);
        if (outcome is not null)
        {
            await FinishAsync(id, outcome);
        }
        Wake(); // a slot is free
    }

    private async Task FinishAsync(RenderId id, AttemptOutcome outcome)
    {
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                await SendAsync(new FinishAttemptCommand(id, WorkerId, outcome), CancellationToken.None);
                return;
            }
            catch (DbUpdateConcurrencyException) when (attempt < 5)
            {
                // e.g. a cancel request updated the row between load and save: read it again
            }
            catch (Exception ex) when (attempt < 5)
            {
                logger.LogWarning(ex, "Recording the end of render {RenderId} failed; retrying", id);
                await Task.Delay(TimeSpan.FromMilliseconds(200 * attempt));
            }
        }
    }

    private async Task<IReadOnlyDictionary<AssetId, string>> ResolveAssetsAsync(ClaimedRender claimed)
    {
        if (claimed.AssetIds.Count == 0)
        {
            return new Dictionary<AssetId, string>();
        }
        await using var scope = scopes.CreateAsyncScope();
        var found = await scope.ServiceProvider.GetRequiredService<IAssetLookup>().FindAsync(claimed.AssetIds, CancellationToken.None);
        var missing = claimed.AssetIds.Where(a => !found.ContainsKey(a)).ToList();
        if (missing.Count > 0)
        {
            throw new RenderFailedException("asset_missing", "An asset of the composition was deleted.", retryable: false);
        }
        return found.ToDictionary(kv => new AssetId(kv.Key), kv => storage.LocalPath(kv.Value.StorageKey));
    }

    /// <summary>Every beat: write progress if it moved, renew the lease, and learn of a cancel request (in case the NOTIFY was missed).</summary>
    private async Task HeartbeatAsync(RenderId id, RunningRender running, LatestProgress progress, CancellationToken stop)
    {
        var written = -1;
        using var timer = new PeriodicTimer(TimeSpan.FromMilliseconds(_options.ProgressIntervalMs));
        try
        {
            while (await timer.WaitForNextTickAsync(stop))
            {
                var current = progress.Value;
                await using var connection = new NpgsqlConnection(_connectionString);
                await connection.OpenAsync(stop);
                await using var beat = new NpgsqlCommand("""
                    UPDATE rendering.renders SET progress = $3, lease_expires_at = now() + make_interval(secs => $4)
                    WHERE id = $1 AND lease_owner = $2 AND status = 'Rendering'
                    RETURNING cancel_requested
                    """, connection);
                beat.Parameters.AddWithValue(id.Value);
                beat.Parameters.AddWithValue(WorkerId);
                var shown = Math.Max(written, Math.Clamp(current, 0, 99)); // never backwards; 100 only when stored
                beat.Parameters.AddWithValue(shown);
                beat.Parameters.AddWithValue(_options.LeaseSeconds);
                var result = await beat.ExecuteScalarAsync(stop);
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

    private async Task<T> SendAsync<T>(IQuery<T> query, CancellationToken cancellationToken)
    {
        await using var scope = scopes.CreateAsyncScope();
        return await scope.ServiceProvider.GetRequiredService<ISender>().Send(query, cancellationToken);
    }

    private async Task<T> SendAsync<T>(ICommand<T> command, CancellationToken cancellationToken)
    {
        await using var scope = scopes.CreateAsyncScope();
        return await scope.ServiceProvider.GetRequiredService<ISender>().Send(command, cancellationToken);
    }

    private sealed class LatestProgress : IProgress<double>
    {
        private int _value;
        public int Value => Volatile.Read(ref _value);
        public void Report(double value) => Volatile.Write(ref _value, (int)Math.Floor(value));
    }
}
