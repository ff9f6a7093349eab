using Mediator;
using Microsoft.EntityFrameworkCore;
using RenderOwl.Application.Common.Abstractions;
using RenderOwl.Application.Common.Errors;

namespace RenderOwl.Application.Common.Behaviors;

/// <summary>
/// Runs a transactional command in one database transaction inside the provider's execution strategy,
/// so a transient failure retries the whole unit, never half of it. What the handler queued on
/// <see cref="AfterCommit"/> runs once the commit has succeeded, never before it and never for a rollback.
/// </summary>
public sealed class TransactionBehavior<TMessage, TResponse>(IAppDbContext db, AfterCommit afterCommit) : IPipelineBehavior<TMessage, TResponse>
    where TMessage : notnull, IMessage
{
    public ValueTask<TResponse> Handle(TMessage message, MessageHandlerDelegate<TMessage, TResponse> next, CancellationToken cancellationToken)
    {
        if (message is not ITransactionalCommand<TResponse> || db.Database.CurrentTransaction is not null)
        {
            return next(message, cancellationToken);
        }
        return new ValueTask<TResponse>(RunAsync(message, next, cancellationToken));
    }

    private async Task<TResponse> RunAsync(TMessage message, MessageHandlerDelegate<TMessage, TResponse> next, CancellationToken cancellationToken)
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
