namespace RenderOwl.Application.Common.Abstractions;

/// <summary>What a request with an <c>Idempotency-Key</c> found.</summary>
public abstract record IdempotencyClaim
{
    /// <summary>This request is the first with the key: run it, then <see cref="IIdempotencyStore.CompleteAsync"/> or <see cref="IIdempotencyStore.AbandonAsync"/>.</summary>
    public sealed record Owned : IdempotencyClaim;
    public sealed record Replay(int Status, IReadOnlyDictionary<string, string> Headers, byte[] Body) : IdempotencyClaim;
    public sealed record InFlight : IdempotencyClaim;
    public sealed record DifferentRequest : IdempotencyClaim;
}

/// <summary>First responses stored per (account, key) for <see cref="Lifetime"/>, so a retried POST is answered, not run again.</summary>
public interface IIdempotencyStore
{
    static readonly TimeSpan Lifetime = TimeSpan.FromHours(24);

    Task<IdempotencyClaim> ClaimAsync(string scope, string key, string requestHash, CancellationToken cancellationToken);
    Task CompleteAsync(string scope, string key, int status, IReadOnlyDictionary<string, string> headers, byte[] body);
    /// <summary>The first request failed with a fault (5xx) or threw: forget the key so a retry can run.</summary>
    Task AbandonAsync(string scope, string key);
}
