using System.Collections.Concurrent;
using Mediator;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using RenderOwl.Application.Common.Abstractions;
using RenderOwl.Application.Common.Caching;
using RenderOwl.Application.Rendering;
using RenderOwl.Infrastructure.Persistence;

namespace RenderOwl.Infrastructure.Rendering;

/// <summary>
/// RenderOwl's render dispatcher (see docs/adr/0002 and 0007): claims as many renders as it has free slots in
/// one call of <c>rendering.claim_renders</c> — priority order, fair between accounts, never above an account's
/// concurrency cap; records ended attempts in batches (one transaction each); wakes on
/// <c>LISTEN render_queued</c> (polling as a fallback); holds a lease renewed while ffmpeg runs; stops a
/// render on <c>NOTIFY render_cancel</c>; on shutdown stops claiming, lets running renders finish within a
/// grace period and releases the rest to the queue without counting the attempt.
/// </summary>
public sealed class RenderDispatcher : BackgroundService
{
    private readonly IServiceScopeFactory _scopes;
    private readonly IRenderEngine _engine;
    private readonly IObjectStorage _storage;
    private readonly TimeProvider _clock;
    private readonly ILogger<RenderDispatcher> _logger;
    private readonly DispatcherOptions _options;
    private readonly RenderQueueListener _listener;
    private readonly RenderHeartbeat _heartbeat;
    private readonly AttemptRecorder _recorder;
    private readonly AppCache _cache;
    private readonly RenderSegmentOptions _segments;

    public RenderDispatcher(IServiceScopeFactory scopes, IRenderEngine engine, IObjectStorage storage, DataSources databases,
        IOptions<DispatcherOptions> options, TimeProvider clock, AppCache cache, ILogger<RenderDispatcher> logger, IOptions<RenderSegmentOptions> segments)
    {
        (_scopes, _engine, _storage, _clock, _logger, _options, _cache) = (scopes, engine, storage, clock, logger, options.Value, cache);
        _segments = segments.Value;
        _listener = new RenderQueueListener(databases, logger, Wake, StopOnCancel);
        _heartbeat = new RenderHeartbeat(databases, WorkerId, _options, cache, logger);
        _recorder = new AttemptRecorder(scopes, WorkerId, logger);
    }

    /// <summary>Completed by any wake-up (work queued, a slot freed); re-armed by the loop before it claims, so no wake is lost.</summary>
    private TaskCompletionSource _wake = NewSignal();

    private static TaskCompletionSource NewSignal() => new(TaskCreationOptions.RunContinuationsAsynchronously);

    private void Wake() => Volatile.Read(ref _wake).TrySetResult();
    private readonly ConcurrentDictionary<Guid, RunningRender> _running = new();
    /// <summary>Slots in use: renders claimed whose engine run has not ended yet.</summary>
    private int _busy;

    public string WorkerId { get; } = $"{Environment.MachineName}:{Environment.ProcessId}:{Guid.NewGuid().ToString("N")[..8]}";

    private void StopOnCancel(Guid renderId)
    {
        if (_running.TryGetValue(renderId, out var running))
        {
            running.CancelRequested = true;
            running.Stop.Cancel();
        }
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
        _logger.LogInformation("Render dispatcher {Worker} started with {Slots} slot(s)", WorkerId, _options.Slots);
        var listener = _listener.RunAsync(stoppingToken);
        var writer = _recorder.RunAsync();
        var tasks = new List<Task>();
        var lastRescue = DateTimeOffset.MinValue;
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
                if (_clock.GetUtcNow() - lastRescue > TimeSpan.FromSeconds(Math.Max(1, _options.LeaseSeconds / 3)))
                {
                    lastRescue = _clock.GetUtcNow();
                    await using var scope = _scopes.CreateAsyncScope();
                    await scope.ServiceProvider.GetRequiredService<ISender>().Send(new RescueLapsedRendersCommand(), CancellationToken.None);
                }
                await ClaimWhileFreeAsync(tasks);
            }
            catch (Exception ex) when (ex is not OperationCanceledException || !stoppingToken.IsCancellationRequested)
            {
                _logger.LogWarning(ex, "Claiming renders failed; retrying");
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

        await ShutDownAsync(tasks);
        await writer;
        await listener;
    }

    /// <summary>Claims for the free slots, as many per round trip as are free, until the queue has nothing due.</summary>
    private async Task ClaimWhileFreeAsync(List<Task> tasks)
    {
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
                return;
            }
            Interlocked.Add(ref _busy, claimed.Count);
            tasks.AddRange(claimed.Select(RunAsync));
            if (claimed.Count < wanted)
            {
                return; // nothing more to take now
            }
        }
    }

    /// <summary>Shutdown: no more claims. Running renders get the grace period to finish; the rest are released to the queue.</summary>
    private async Task ShutDownAsync(List<Task> tasks)
    {
        _logger.LogInformation("Render dispatcher stopping: {Count} render(s) running", _running.Count);
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
        _recorder.Complete();
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
        await using var scope = _scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<AppDbContext>();
        var started = DateTimeOffset.UtcNow;
        var claimed = await db.Renders.FromSql(RenderQueueSql.Claim(WorkerId, _options.LeaseSeconds, max)).AsNoTracking()
            .ToListAsync(cancellationToken);
        await DropCachedAsync(claimed); // the claim is one statement, committed by now; SQL, so the save hook does not see it
        foreach (var render in claimed)
        {
            _logger.LogDebug("Claimed render {RenderId}, attempt {Attempt}", render.Id, render.Attempts);
            // One claim takes several renders in one statement; each render's trace gets a span for it.
            using (var span = Observability.RenderOwlTracing.Source.StartActivity("render.claim", System.Diagnostics.ActivityKind.Internal,
                Observability.RenderOwlTracing.ParentOf(render.TraceParent), startTime: started))
            {
                span?.SetTag("render.id", render.Id.ToString());
                span?.SetTag("render.attempt", render.Attempts);
                span?.SetTag("renderowl.worker", WorkerId);
            }
            Observability.RenderOwlMetrics.RendersClaimed.Add(1);
            if (render.WaitMs is { } wait)
            {
                Observability.RenderOwlMetrics.RenderWait.Record(wait / 1000.0);
            }
        }
        return claimed;
    }

    private async Task DropCachedAsync(IReadOnlyList<Domain.Rendering.Render> claimed)
    {
        if (claimed.Count == 0)
        {
            return;
        }
        try
        {
            await _cache.InvalidateAsync(claimed.Select(r => CacheKeys.Render(r.Id)).ToList(), CancellationToken.None);
        }
        catch (Exception ex)
        {
            _logger.LogWarning(ex, "Could not drop the cached reads of {Count} claimed renders; they show 'queued' until their TTL", claimed.Count);
        }
    }

    private async Task RunAsync(Domain.Rendering.Render render)
    {
        var id = render.Id;
        using var stop = new CancellationTokenSource();
        var running = new RunningRender(stop);
        _running[id.Value] = running;
        var progress = new LatestProgress();
        using var heartbeatStop = new CancellationTokenSource();
        var heartbeat = _heartbeat.RunAsync(id, render.Attempts, running, progress, heartbeatStop.Token);
        AttemptOutcome? outcome;
        var engineRun = new System.Diagnostics.Stopwatch();
        using var span = Observability.RenderOwlTracing.Source.StartActivity("render.run", System.Diagnostics.ActivityKind.Internal,
            Observability.RenderOwlTracing.ParentOf(render.TraceParent));
        span?.SetTag("render.id", id.ToString());
        span?.SetTag("render.attempt", render.Attempts);
        try
        {
            var claimed = ClaimedRender.From(render);
            if (RenderSegments.Plan(claimed.Output, claimed.Duration, _segments) is { Count: > 0 } plan)
            {
                // Long enough to split: its segments are queued like any render, and free slots (this worker's or others') take them.
                outcome = new AttemptOutcome.Split(plan);
            }
            else
            {
                var files = await RenderAssets.ResolveAsync(_scopes, _storage, claimed);
                engineRun.Start();
                var output = await _engine.RenderAsync(new RenderJob(claimed.Composition, claimed.Output, files, claimed.Watermark), progress, stop.Token);
                outcome = new AttemptOutcome.Succeeded(output);
            }
        }
        catch (OperationCanceledException) when (stop.IsCancellationRequested)
        {
            outcome = running.LeaseLost ? null : running.Releasing ? new AttemptOutcome.Released() : new AttemptOutcome.Canceled();
        }
        catch (RenderFailedException ex)
        {
            _logger.LogWarning("Render {RenderId} attempt failed: {Code} {Diagnostics}", id, ex.Code, ex.Diagnostics);
            outcome = new AttemptOutcome.Failed(ex.Code, ex.Message, ex.Retryable);
        }
        catch (Exception ex)
        {
            _logger.LogError(ex, "Render {RenderId} attempt failed unexpectedly", id);
            outcome = new AttemptOutcome.Failed("internal_error", "The render failed unexpectedly.", Retryable: true);
        }
        await heartbeatStop.CancelAsync();
        await heartbeat;
        _running.TryRemove(id.Value, out _);
        Interlocked.Decrement(ref _busy);
        span?.SetTag("render.outcome", outcome is null ? "lease_lost" : AttemptRecorder.OutcomeName(outcome));
        if (outcome is AttemptOutcome.Failed failed)
        {
            Observability.RenderOwlTracing.Fail(span, failed.Code);
        }
        if (outcome is not null && engineRun.IsRunning)
        {
            Observability.RenderOwlMetrics.RenderDuration.Record(engineRun.Elapsed.TotalSeconds,
                new KeyValuePair<string, object?>("format", render.Settings.Format.ToString().ToLowerInvariant()),
                new KeyValuePair<string, object?>("outcome", AttemptRecorder.OutcomeName(outcome)));
        }
        Wake(); // a slot is free
        if (outcome is not null)
        {
            await _recorder.RecordAsync(id, outcome);
        }
    }
}
