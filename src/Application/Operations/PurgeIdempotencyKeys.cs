using Mediator;

namespace RenderOwl.Application.Operations;

/// <summary>The idempotency keys' store, for maintenance: deletes the keys past their 24 h.</summary>
public interface IIdempotencyKeyPurger
{
    Task<int> PurgeExpiredAsync(CancellationToken cancellationToken);
}

/// <summary>Hourly (a recurring Hangfire job): forget idempotency keys older than 24 h. Returns how many went.</summary>
public sealed record PurgeIdempotencyKeysCommand : ICommand<int>;

public sealed class PurgeIdempotencyKeysHandler(IIdempotencyKeyPurger keys) : ICommandHandler<PurgeIdempotencyKeysCommand, int>
{
    public async ValueTask<int> Handle(PurgeIdempotencyKeysCommand command, CancellationToken cancellationToken)
        => await keys.PurgeExpiredAsync(cancellationToken);
}
