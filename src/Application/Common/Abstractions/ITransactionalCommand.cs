using Mediator;

namespace RenderOwl.Application.Common.Abstractions;

/// <summary>Commands that change state run inside a database transaction (see TransactionBehavior).</summary>
public interface ITransactionalCommand<out TResponse> : ICommand<TResponse>;
