using System.Collections.Concurrent;
using System.Threading.Channels;
using Mediator;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Npgsql;
using RenderOwl.Application.Common.Abstractions;
using RenderOwl.Application.Common.Media;
using RenderOwl.Application.Rendering;
using RenderOwl.Domain.Common;
using RenderOwl.Infrastructure.Persistence;

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
/// RenderOwl's render dispatcher (see docs/adr/0002 and 0007): claims as many renders as it has free slots in
/// one call of <c>rendering.claim_renders</c> — priority order, fair between accounts, never above an account's
/// concurrency cap; records ended attempts in batches (one transaction each); wakes on
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
    /// <summary>Slots in use: renders claimed whose engine run has not ended yet.</summary>
    private int _busy;
    private readonly Channel<PendingFinish> _finished = Channel.CreateUnbounded<PendingFinish>(new UnboundedChannelOptions { SingleReader = true });

    public string WorkerId { get; } = $"{Environment.MachineName}:{Environment.ProcessId}:{Guid.NewGuid().ToString("N")[..8]}";

    private sealed class RunningRender(CancellationTokenSource stop)
    {
        public CancellationTokenSource Stop { get; } = stop;
        public volatile bool CancelRequested;
        public volatile bool Releasing;
        public volatile bool LeaseLost;
    }

    /// <summary>
    /// Waits for the shutdown sequence to end — running renders released and their release recorded — even
    /// past the host's shutdown timeout: a process that exited first left its renders 'rendering' until their
    /// leases lapsed (the cause of a flaky test on a busy machine). Bounded by the grace period and the
    /// record's own retries; an orchestrator's kill still ends it, and the lease covers that case.
    /// </summary>
    public override async Task StopAsync(CancellationToken cancellationToken)
    {
        await base.StopAsync(CancellationToken.None);
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        logger.LogInformation("Render dispatcher {Worker} started with {Slots} slot(s)", WorkerId, _options.Slots);
        var listener = ListenAsync(stoppingToken);
        var writer = WriteFinishesAsync();
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
                // A slot is an engine run; an attempt whose end is still being recorded no longer holds one (its row
                // stays 'Rendering' until then, so caps hold). Bounded, so a slow database cannot pile them up.
                while (Volatile.Read(ref _busy) < _options.Slots && tasks.Count < _options.Slots * 4)
                {
                    var wanted = _options.Slots - Volatile.Read(ref _busy);
                    // Not cancelled by shutdown: a claim committed while its reply is in flight would leave renders
                    // 'rendering' with nobody to run or release them. Claimed renders are run and, if shutdown came, released.
                    var claimed = await ClaimAsync(wanted, CancellationToken.None);
                    if (claimed.Count == 0)
                    {
                        break;
                    }
                    Interlocked.Add(ref _busy, claimed.Count);
                    tasks.AddRange(claimed.Select(RunAsync));
                    if (claimed.Count < wanted)
                    {
                        break; // nothing more to take now
                    }
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
        _finished.Writer.Complete();
        await writer;
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
                    if (e.Channel == RenderChannels.Queued)
                    {
                        logger.LogDebug("Woken: work was queued");
                        Wake();
                    }
                    else if (e.Channel == RenderChannels.Cancel && Guid.TryParse(e.Payload, out var id) && _running.TryGetValue(id, out var running))
                    {
                        running.CancelRequested = true;
                        running.Stop.Cancel();
                    }
                };
                await using (var listen = new NpgsqlCommand($"LISTEN {RenderChannels.Queued}; LISTEN {RenderChannels.Cancel};", connection))
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
    /// One claim of up to <paramref name="max"/> renders, in one round trip: <c>rendering.claim_renders</c>
    /// (ADR 7) walks each account's best eligible queued render in priority order, then the account served
    /// longest ago, then age. Per render it locks the account's bookkeeping row (claims for one account happen
    /// one at a time, so two workers never exceed a cap together), checks the cap, and takes the row with an
    /// UPDATE that re-checks <c>status = 'Queued'</c>, so two workers never take one render.
    /// </summary>
    public async Task<IReadOnlyList<Domain.Rendering.Render>> ClaimAsync(int max, CancellationToken cancellationToken)
    {
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<AppDbContext>();
        // xmin is a system column, not part of the function's row type: the claimed rows are only read, never saved.
        var claimed = await db.Renders
            .FromSql($"SELECT c.*, '0'::xid AS xmin FROM rendering.claim_renders({WorkerId}, {_options.LeaseSeconds}, {max}) c")
            .AsNoTracking()
            .ToListAsync(cancellationToken);
        foreach (var render in claimed)
        {
            logger.LogDebug("Claimed render {RenderId}, attempt {Attempt}", render.Id, render.Attempts);
            Observability.RenderOwlMetrics.RendersClaimed.Add(1);
            if (render.WaitMs is { } wait)
            {
                Observability.RenderOwlMetrics.RenderWait.Record(wait / 1000.0);
            }
        }
        return claimed;
    }

    private async Task RunAsync(Domain.Rendering.Render render)
    {
        var id = render.Id;
        using var stop = new CancellationTokenSource();
        var running = new RunningRender(stop);
        _running[id.Value] = running;
        var progress = new LatestProgress();
        using var heartbeatStop = new CancellationTokenSource();
        var heartbeat = HeartbeatAsync(id, render.Attempts, running, progress, heartbeatStop.Token);
        AttemptOutcome? outcome;
        var engineRun = new System.Diagnostics.Stopwatch();
        try
        {
            var claimed = ClaimedRender.From(render);
            var files = await ResolveAssetsAsync(claimed);
            engineRun.Start();
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
        Interlocked.Decrement(ref _busy);
        if (outcome is not null && engineRun.IsRunning)
        {
            Observability.RenderOwlMetrics.RenderDuration.Record(engineRun.Elapsed.TotalSeconds,
                new KeyValuePair<string, object?>("format", render.Settings.Format.ToString().ToLowerInvariant()),
                new KeyValuePair<string, object?>("outcome", OutcomeName(outcome)));
        }
        Wake(); // a slot is free
        if (outcome is not null)
        {
            await RecordAsync(id, outcome);
        }
    }

    /// <summary>Hands the end of an attempt to the completion writer and waits until it is recorded.</summary>
    private async Task RecordAsync(RenderId id, AttemptOutcome outcome)
    {
        // The channel is unbounded and completed only after every render task has ended, so this never waits.
        var pending = new PendingFinish(new FinishedAttempt(id, outcome), new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously));
        await _finished.Writer.WriteAsync(pending);
        await pending.Recorded.Task;
    }

    private sealed record PendingFinish(FinishedAttempt Attempt, TaskCompletionSource Recorded);

    /// <summary>
    /// The completion writer: whatever attempts ended while the previous batch was being written go into the
    /// next one — one transaction, one load and one batch of writes for all of them. If a batch fails (e.g. a
    /// cancel request changed one row in the meantime), its attempts are recorded one by one, with retries.
    /// </summary>
    private async Task WriteFinishesAsync()
    {
        var batch = new List<PendingFinish>(MaxFinishBatch);
        while (await _finished.Reader.WaitToReadAsync())
        {
            batch.Clear();
            while (batch.Count < MaxFinishBatch && _finished.Reader.TryRead(out var pending))
            {
                batch.Add(pending);
            }
            try
            {
                await SendAsync(new FinishAttemptsCommand(WorkerId, batch.ConvertAll(p => p.Attempt)), CancellationToken.None);
                foreach (var pending in batch)
                {
                    Observability.RenderOwlMetrics.RendersFinished.Add(1, new KeyValuePair<string, object?>("outcome", OutcomeName(pending.Attempt.Outcome)));
                }
            }
            catch (Exception ex)
            {
                logger.LogInformation(ex, "Recording {Count} ended attempts together failed; recording them one by one", batch.Count);
                foreach (var pending in batch)
                {
                    await RecordOneAsync(pending.Attempt);
                }
            }
            foreach (var pending in batch)
            {
                pending.Recorded.TrySetResult();
            }
        }
    }

    private const int MaxFinishBatch = 64;

    private static string OutcomeName(AttemptOutcome outcome) => outcome switch
    {
        AttemptOutcome.Succeeded => "succeeded",
        AttemptOutcome.Failed { Retryable: true } => "failed_retryable",
        AttemptOutcome.Failed => "failed",
        AttemptOutcome.Canceled => "canceled",
        _ => "released",
    };

    private async Task RecordOneAsync(FinishedAttempt finished)
    {
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                await SendAsync(new FinishAttemptsCommand(WorkerId, [finished]), CancellationToken.None);
                Observability.RenderOwlMetrics.RendersFinished.Add(1, new KeyValuePair<string, object?>("outcome", OutcomeName(finished.Outcome)));
                return;
            }
            catch (DbUpdateConcurrencyException) when (attempt < 5)
            {
                // e.g. a cancel request updated the row between load and save: read it again
            }
            catch (Exception ex) when (attempt < 5)
            {
                logger.LogWarning(ex, "Recording the end of render {RenderId} failed; retrying", finished.Id);
                await Task.Delay(TimeSpan.FromMilliseconds(200 * attempt));
            }
            catch (Exception ex)
            {
                // Left as it is: the lease lapses and the render is rescued back to the queue (ADR 2).
                logger.LogError(ex, "Could not record the end of render {RenderId}; its lease will lapse and it will be retried", finished.Id);
                return;
            }
        }
    }

    private async Task<IReadOnlyDictionary<AssetId, MediaFile>> ResolveAssetsAsync(ClaimedRender claimed)
    {
        if (claimed.AssetIds.Count == 0)
        {
            return new Dictionary<AssetId, MediaFile>();
        }
        await using var scope = scopes.CreateAsyncScope();
        var found = await scope.ServiceProvider.GetRequiredService<IAssetLookup>().FindAsync(claimed.AssetIds, CancellationToken.None);
        var missing = claimed.AssetIds.Where(a => !found.ContainsKey(a)).ToList();
        if (missing.Count > 0)
        {
            throw new RenderFailedException("asset_missing", "An asset of the composition was deleted.", retryable: false);
        }
        return found.ToDictionary(kv => new AssetId(kv.Key), kv => new MediaFile(storage.LocalPath(kv.Value.StorageKey), kv.Value.ContentType));
    }

    /// <summary>Every beat: write progress if it moved, renew the lease, and learn of a cancel request (in case the NOTIFY was missed).</summary>
    private async Task HeartbeatAsync(RenderId id, int attempt, RunningRender running, LatestProgress progress, CancellationToken stop)
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
                    WHERE id = $1 AND lease_owner = $2 AND status = 'Rendering' AND attempts = $5
                    RETURNING cancel_requested
                    """, connection);
                // The attempt too: if this worker's lease lapsed (a stall) and it claimed the render again, the old
                // run must find itself superseded, not keep heartbeating beside the new one.
                beat.Parameters.AddWithValue(id.Value);
                beat.Parameters.AddWithValue(WorkerId);
                var shown = Math.Max(written, Math.Clamp(current, 0, 99)); // never backwards; 100 only when stored
                beat.Parameters.AddWithValue(shown);
                beat.Parameters.AddWithValue(_options.LeaseSeconds);
                beat.Parameters.AddWithValue(attempt);
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
