using Mediator;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using RenderOwl.Application.Common.Abstractions;
using RenderOwl.Application.Common.Errors;

namespace RenderOwl.Application.Common.Behaviors;

/// <summary>
/// Runs a transactional command in one database transaction inside the provider's execution strategy,
/// so a transient failure retries the whole unit, never half of it. What the handler queued on
/// <see cref="AfterCommit"/> runs once the commit has succeeded, never before it and never for a rollback.
/// The unit of work is resolved only for a transactional command: a query (a cached read above all) makes no
/// DbContext here (building one per request was 4 % of a cached read's CPU — docs/benchmarks.md).
/// </summary>
public sealed class TransactionBehavior<TMessage, TResponse>(IServiceProvider services, AfterCommit afterCommit) : IPipelineBehavior<TMessage, TResponse>
    where TMessage : notnull, IMessage
{
    private const int ConcurrentChangeRetries = 10;

    public ValueTask<TResponse> Handle(TMessage message, MessageHandlerDelegate<TMessage, TResponse> next, CancellationToken cancellationToken)
    {
        if (message is not ITransactionalCommand<TResponse>)
        {
            return next(message, cancellationToken);
        }
        var db = services.GetRequiredService<IAppDbContext>();
        if (db.Database.CurrentTransaction is not null)
        {
            return next(message, cancellationToken);
        }
        return new ValueTask<TResponse>(RunAsync(db, message, next, cancellationToken));
    }

    private async Task<TResponse> RunAsync(IAppDbContext db, TMessage message, MessageHandlerDelegate<TMessage, TResponse> next, CancellationToken cancellationToken)
    {
        var retries = message is IRetriesOnConcurrentChange { RetryOnConcurrentChange: true } ? ConcurrentChangeRetries : 0;
        for (var attempt = 0; ; attempt++)
        {
            try
            {
                return await RunOnceAsync(db, message, next, cancellationToken);
            }
            catch (DbUpdateConcurrencyException) when (attempt < retries)
            {
                // Another writer moved the row (its xmin) between this unit's read and write: read it again and redo,
                // after a short random pause so writers racing on one row spread out instead of colliding again.
                await Task.Delay(Random.Shared.Next(1, 5 * (attempt + 1)), cancellationToken);
            }
        }
    }

    private async Task<TResponse> RunOnceAsync(IAppDbContext db, TMessage message, MessageHandlerDelegate<TMessage, TResponse> next, CancellationToken cancellationToken)
    {
        var strategy = db.Database.CreateExecutionStrategy();
        (TResponse? Response, AppException? Refusal) result;
        try
        {
            result = await strategy.ExecuteAsync(async ct =>
            {
                db.ChangeTracker.Clear(); // a retried attempt starts from a clean unit of work
                afterCommit.Begin();      // ... and with none of the failed attempt's side effects
                await using var transaction = await db.Database.BeginTransactionAsync(ct);
                try
                {
                    var response = await next(message, ct);
                    await transaction.CommitAsync(ct);
                    return (response, (AppException?)null);
                }
                catch (RefuseAfterCommitException refused)
                {
                    await transaction.CommitAsync(ct);
                    return (default(TResponse), refused.Problem);
                }
            }, cancellationToken);
        }
        catch
        {
            afterCommit.Abandon();
            throw;
        }
        await afterCommit.CommittedAsync(CancellationToken.None); // the commit stands even if the caller has gone
        return result.Refusal is { } refusal ? throw refusal : result.Response!;
    }
}
