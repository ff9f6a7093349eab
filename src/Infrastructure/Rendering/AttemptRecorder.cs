using System.Threading.Channels;
using Mediator;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using RenderOwl.Application.Rendering;
using RenderOwl.Domain.Common;

namespace RenderOwl.Infrastructure.Rendering;

/// <summary>
/// The completion writer: whatever attempts ended while the previous batch was being written go into the next
/// one — one transaction, one load and one batch of writes for all of them. If a batch fails (e.g. a cancel
/// request changed one row in the meantime), its attempts are recorded one by one, with retries; one that still
/// cannot be recorded is left to its lease, which lapses, and the render is rescued back to the queue (ADR 2).
/// </summary>
internal sealed class AttemptRecorder(IServiceScopeFactory scopes, string worker, ILogger logger)
{
    private const int MaxBatch = 64;
    private readonly Channel<PendingFinish> _finished = Channel.CreateUnbounded<PendingFinish>(new UnboundedChannelOptions { SingleReader = true });

    private sealed record PendingFinish(FinishedAttempt Attempt, TaskCompletionSource Recorded);

    /// <summary>Hands the end of an attempt to the writer and waits until it is recorded (or given up on).</summary>
    public async Task RecordAsync(RenderId id, AttemptOutcome outcome)
    {
        // The channel is unbounded and completed only after every render task has ended, so this never waits.
        var pending = new PendingFinish(new FinishedAttempt(id, outcome), new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously));
        await _finished.Writer.WriteAsync(pending);
        await pending.Recorded.Task;
    }

    /// <summary>No attempt will end any more (shutdown): the writer finishes what it holds and returns.</summary>
    public void Complete() => _finished.Writer.Complete();

    public async Task RunAsync()
    {
        var batch = new List<PendingFinish>(MaxBatch);
        while (await _finished.Reader.WaitToReadAsync())
        {
            batch.Clear();
            while (batch.Count < MaxBatch && _finished.Reader.TryRead(out var pending))
            {
                batch.Add(pending);
            }
            try
            {
                await SendAsync(batch.ConvertAll(p => p.Attempt));
                batch.ForEach(p => Counted(p.Attempt.Outcome));
            }
            catch (Exception ex)
            {
                logger.LogInformation(ex, "Recording {Count} ended attempts together failed; recording them one by one", batch.Count);
                foreach (var pending in batch)
                {
                    await RecordOneAsync(pending.Attempt);
                }
            }
            batch.ForEach(p => p.Recorded.TrySetResult());
        }
    }

    public static string OutcomeName(AttemptOutcome outcome) => outcome switch
    {
        AttemptOutcome.Succeeded => "succeeded",
        AttemptOutcome.Failed { Retryable: true } => "failed_retryable",
        AttemptOutcome.Failed => "failed",
        AttemptOutcome.Canceled => "canceled",
        AttemptOutcome.Split => "split",
        _ => "released",
    };

    private static void Counted(AttemptOutcome outcome)
        => Observability.RenderOwlMetrics.RendersFinished.Add(1, new KeyValuePair<string, object?>("outcome", OutcomeName(outcome)));

    private async Task RecordOneAsync(FinishedAttempt finished)
    {
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                await SendAsync([finished]);
                Counted(finished.Outcome);
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
                logger.LogError(ex, "Could not record the end of render {RenderId}; its lease will lapse and it will be retried", finished.Id);
                return;
            }
        }
    }

    private async Task SendAsync(IReadOnlyList<FinishedAttempt> attempts)
    {
        await using var scope = scopes.CreateAsyncScope();
        await scope.ServiceProvider.GetRequiredService<ISender>().Send(new FinishAttemptsCommand(worker, attempts), CancellationToken.None);
    }
}
