using Mediator;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using RenderOwl.Application.Common.Abstractions;
using RenderOwl.Domain.Rendering;

namespace RenderOwl.Application.Rendering;

/// <summary>
/// Records the end of several attempts in one transaction (one query to load, one batch of writes). An attempt is
/// recorded only if <paramref name="Worker"/> still holds the render's lease: a render taken over after its lease
/// lapsed belongs to the new worker, and this worker's output of it is deleted. Returns how many were recorded.
/// </summary>
public sealed record FinishAttemptsCommand(string Worker, IReadOnlyList<FinishedAttempt> Attempts) : ITransactionalCommand<int>;

public sealed class FinishAttemptsHandler(IAppDbContext db, RenderCompletion completion, SegmentOutcomes segments, IObjectStorage storage, IOptions<RenderQueueOptions> options,
    TimeProvider clock)
    : ICommandHandler<FinishAttemptsCommand, int>
{
    public async ValueTask<int> Handle(FinishAttemptsCommand command, CancellationToken cancellationToken)
    {
        var ids = command.Attempts.Select(a => a.Id).ToList();
        var renders = await db.Renders.Where(r => ids.Contains(r.Id)).ToDictionaryAsync(r => r.Id, cancellationToken);
        var now = clock.GetUtcNow();
        var recorded = 0;
        var orphans = new List<string>();
        foreach (var attempt in command.Attempts)
        {
            if (!renders.TryGetValue(attempt.Id, out var render) || render.Status != RenderStatus.Rendering || render.LeaseOwner != command.Worker)
            {
                // Another worker owns this render now: this attempt's output is an orphan — unless it is the render's
                // recorded output (this very attempt was recorded already, e.g. by a commit whose reply was lost).
                if (attempt.Outcome is AttemptOutcome.Succeeded lost && render?.Output?.StorageKey != lost.Output.StorageKey)
                {
                    orphans.AddRange(lost.Output.Keys);
                }
                continue;
            }
            await ApplyAsync(render, attempt.Outcome, now, cancellationToken);
            recorded++;
        }
        await db.SaveChangesAsync(cancellationToken);
        foreach (var key in orphans)
        {
            await storage.DeleteAsync(key, cancellationToken);
        }
        return recorded;
    }

    private async Task ApplyAsync(Render render, AttemptOutcome outcome, DateTimeOffset now, CancellationToken cancellationToken)
    {
        switch (outcome)
        {
            case AttemptOutcome.Succeeded s:
                render.Succeed(s.Output.ToInfo(render.Settings.Format), now);
                await FinishedAsync(render, now, null, cancellationToken);
                break;
            case AttemptOutcome.Canceled:
                render.ConfirmCanceled(now);
                await FinishedAsync(render, now, "canceled while rendering", cancellationToken);
                break;
            case AttemptOutcome.Failed f when f.Retryable && render.Attempts < render.MaxAttempts:
                render.Retry(f.Code, f.Message, now + Backoff(render.Attempts, options.Value), now);
                db.RenderEvents.Add(RenderEvent.For(render, now, $"attempt {render.Attempts} failed; retrying"));
                break;
            case AttemptOutcome.Failed f:
                render.Fail(f.Code, f.Message, now);
                await FinishedAsync(render, now, null, cancellationToken);
                break;
            case AttemptOutcome.Split split:
                await segments.SplitAsync(render, split.Segments, now, cancellationToken);
                break;
            case AttemptOutcome.Released:
                render.Release();
                db.RenderEvents.Add(RenderEvent.For(render, now, "released at worker shutdown"));
                break;
        }
    }

    /// <summary>
    /// A render's end: its history line and completion handlers (webhooks, e-mail, analytics). A segment's end is only its
    /// history line; what it means for its render is <see cref="SegmentOutcomes"/>'.
    /// </summary>
    private async Task FinishedAsync(Render render, DateTimeOffset now, string? message, CancellationToken cancellationToken)
    {
        if (render.ParentId is null)
        {
            await completion.RecordFinishedAsync(render, now, message, cancellationToken);
            return;
        }
        db.RenderEvents.Add(RenderEvent.For(render, now, message ?? render.ErrorMessage));
        await segments.SegmentEndedAsync(render, now, cancellationToken);
    }

    /// <summary>Exponential backoff with full jitter: uniform in [0, min(max, base·2^(attempt-1))].</summary>
    public static TimeSpan Backoff(int attempt, RenderQueueOptions options)
    {
        var ceiling = Math.Min(options.RetryMaxSeconds, options.RetryBaseSeconds * Math.Pow(2, Math.Max(0, attempt - 1)));
        return TimeSpan.FromSeconds(Random.Shared.NextDouble() * ceiling);
    }
}
