namespace RenderOwl.Application.Common.Abstractions;

/// <summary>The record of refused requests (<c>GET /internal/rate-limits/violations</c>), written in batches off the request path.</summary>
public interface IRateLimitViolations
{
    /// <param name="principal">Who was refused: an API key id, a user id, <c>ip:&lt;address&gt;</c> or <c>login:&lt;address&gt;</c>.</param>
    /// <param name="policy">The limit that refused it (a tier's bucket, <c>anonymous</c>, <c>failed-logins</c>, <c>renders-per-hour</c>).</param>
    /// <param name="method">The request's method.</param>
    /// <param name="path">The request's path.</param>
    /// <param name="ipAddress">The client's address.</param>
    void Record(string principal, string policy, string method, string path, string ipAddress);
}
