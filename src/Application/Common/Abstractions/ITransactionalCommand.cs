using Mediator;

namespace RenderOwl.Application.Common.Abstractions;

/// <summary>Commands that change state run inside a database transaction (see TransactionBehavior).</summary>
public interface ITransactionalCommand<out TResponse> : ICommand<TResponse>;

/// <summary>
/// A command whose client set no precondition (no If-Match): when another writer changed the row between its read
/// and its write, the whole unit runs again on the new row instead of answering 412 — a 412 is for a precondition
/// the client sent. With a precondition (<see cref="RetryOnConcurrentChange"/> false) the conflict stands.
/// </summary>
public interface IRetriesOnConcurrentChange
{
    bool RetryOnConcurrentChange { get; }
}
