using Mediator;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;
using RenderOwl.Application.Common.Abstractions;
using RenderOwl.Application.Common.Storage;
using RenderOwl.Domain.Common;

namespace RenderOwl.Application.Identity.Deletion;

public enum DeletionState
{
    /// <summary>Nothing of the account is left.</summary>
    Done,

    /// <summary>A render of the account is still stopping on a worker; run again shortly.</summary>
    WaitingForRenders,

    /// <summary>Stopped after <see cref="DeleteAccountDataCommand.MaxChunks"/> chunks; run again to go on.</summary>
    Paused,

    /// <summary>The account did not ask to be deleted: nothing was touched.</summary>
    NotRequested,
}

public sealed record DeletionProgress(DeletionState State, IReadOnlyDictionary<string, int> Removed);

/// <summary>
/// Deletes everything an account owns (the account-deletion job): every registered <see cref="IAccountErasure"/> step
/// in order, each in chunks of 1,000 rows until it finds none. Every chunk commits on its own, so a crash loses at
/// most the chunk in flight and the next run — the job's retry or the sweep — starts from what is left; files whose
/// rows committed before a crash are removed from the file-deletion queue first. Runs only for an account whose
/// deletion was requested, and waits while one of its renders is still stopping on a worker.
/// </summary>
public sealed record DeleteAccountDataCommand(UserId User, int MaxChunks = int.MaxValue) : ICommand<DeletionProgress>;

public sealed class DeleteAccountDataHandler(IAppDbContext db, IEnumerable<IAccountErasure> erasures, IEnumerable<IAccountActivity> activities, FileDeletions files,
    TimeProvider clock, ILogger<DeleteAccountDataHandler> logger) : ICommandHandler<DeleteAccountDataCommand, DeletionProgress>
{
    public async ValueTask<DeletionProgress> Handle(DeleteAccountDataCommand command, CancellationToken cancellationToken)
    {
        var removed = new SortedDictionary<string, int>(StringComparer.Ordinal);
        var owner = command.User;
        await files.DrainAsync(cancellationToken);
        var requested = await db.Users.AsNoTracking().Where(u => u.Id == owner).Select(u => new { u.DeletionRequestedAt }).FirstOrDefaultAsync(cancellationToken);
        if (requested is null)
        {
            return new DeletionProgress(DeletionState.Done, removed);
        }
        if (requested.DeletionRequestedAt is null)
        {
            logger.LogWarning("Account {UserId} has not asked to be deleted; nothing deleted", owner);
            return new DeletionProgress(DeletionState.NotRequested, removed);
        }
        if (await StillRunningAsync(owner, cancellationToken))
        {
            return new DeletionProgress(DeletionState.WaitingForRenders, removed);
        }
        var keys = await db.ApiKeys.AsNoTracking().Where(k => k.UserId == owner).Select(k => k.Id).ToListAsync(cancellationToken);
        var scope = new AccountScope(owner, [owner.ToString(), .. keys.Select(k => k.ToString())]);
        var started = clock.GetTimestamp();
        var chunks = 0;
        foreach (var step in erasures.SelectMany(e => e.Steps(scope)).OrderBy(s => s.Order))
        {
            int rows;
            do
            {
                if (chunks++ >= command.MaxChunks)
                {
                    logger.LogInformation("Deletion of {UserId} paused after {Chunks} chunk(s): {Removed}", owner, command.MaxChunks, removed);
                    return new DeletionProgress(DeletionState.Paused, removed);
                }
                rows = await step.DeleteChunk(cancellationToken);
                removed[step.Name] = removed.GetValueOrDefault(step.Name) + rows;
            }
            while (rows > 0 && step.Order != ErasureStep.LastOrder);
            if (removed[step.Name] > 0)
            {
                logger.LogInformation("Deletion of {UserId}: {Table} done, {Rows} row(s) removed", owner, step.Name, removed[step.Name]);
            }
        }
        logger.LogInformation("Account {UserId} deleted: {Total} row(s) in {Elapsed} ms", owner, removed.Values.Sum(), (long)clock.GetElapsedTime(started).TotalMilliseconds);
        return new DeletionProgress(DeletionState.Done, removed);
    }

    private async Task<bool> StillRunningAsync(UserId owner, CancellationToken cancellationToken)
    {
        foreach (var activity in activities)
        {
            if (await activity.StillRunningAsync(owner, cancellationToken))
            {
                return true;
            }
        }
        return false;
    }
}
