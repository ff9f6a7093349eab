using RenderOwl.Domain.Common;
using RenderOwl.Domain.Identity;

namespace RenderOwl.Application.Common.Abstractions;

public interface ICurrentUser
{
    /// <summary>The authenticated account; throws 401 when the request is anonymous.</summary>
    UserId Id { get; }
    bool IsAuthenticated { get; }
    Role Role { get; }
    /// <summary>Live for sessions and rok_live_ keys; Test for rok_test_ (sandbox) keys.</summary>
    ApiKeyMode Mode { get; }
    /// <summary>The API key the request authenticated with, if any.</summary>
    ApiKeyId? ApiKeyId { get; }
    /// <summary>The account's tier as carried by the credentials (a session token may lag a change by ≤ 15 min).</summary>
    Tier Tier { get; }
    /// <summary>When the password was last checked in this request's session (claim <c>auth_time</c>); null for API keys.</summary>
    DateTimeOffset? AuthenticatedAt { get; }
}
