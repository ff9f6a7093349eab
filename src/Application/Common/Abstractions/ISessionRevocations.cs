namespace RenderOwl.Application.Common.Abstractions;

/// <summary>
/// Ended sessions (a session is a refresh-token family). The record of truth is PostgreSQL (the family's
/// revoked tokens); it is mirrored in Redis for as long as an access token of the session can live, so every
/// instance refuses its access tokens at once without a database read per request.
/// </summary>
public interface ISessionRevocations
{
    /// <summary>Mirror an ended session (after the commit that ended it).</summary>
    Task MarkEndedAsync(Guid sessionId, CancellationToken cancellationToken);
    Task<bool> IsEndedAsync(Guid sessionId, CancellationToken cancellationToken);
}
