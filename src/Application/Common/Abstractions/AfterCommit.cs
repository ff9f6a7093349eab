using Microsoft.Extensions.Logging;

namespace RenderOwl.Application.Common.Abstractions;

/// <summary>
/// Side effects that must follow a commit — cache invalidation, file deletion, messages to other instances —
/// queued by a handler and run by <see cref="Behaviors.TransactionBehavior{TMessage, TResponse}"/> once the
/// transaction has committed. A retried attempt drops what the failed one queued; a command that rolls back
/// runs none. Outside a transaction an action runs at once (there is nothing to wait for).
/// </summary>
public sealed class AfterCommit(ILogger<AfterCommit> logger)
{
    private readonly List<(string What, Func<CancellationToken, Task> Action)> _pending = [];
    private bool _inTransaction;

    public async Task RunAsync(string what, Func<CancellationToken, Task> action, CancellationToken cancellationToken)
    {
        if (_inTransaction)
        {
            _pending.Add((what, action));
            return;
        }
        await action(cancellationToken);
    }

    internal void Begin()
    {
        _pending.Clear();
        _inTransaction = true;
    }

    internal void Abandon()
    {
        _pending.Clear();
        _inTransaction = false;
    }

    /// <summary>Runs every queued action; one that fails is logged and does not stop the others (the commit stands).</summary>
    internal async Task CommittedAsync(CancellationToken cancellationToken)
    {
        _inTransaction = false;
        var actions = _pending.ToList();
        _pending.Clear();
        foreach (var (what, action) in actions)
        {
            try
            {
                await action(cancellationToken);
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                logger.LogError(ex, "After-commit step '{Step}' failed; the change itself is committed", what);
            }
        }
    }
}
