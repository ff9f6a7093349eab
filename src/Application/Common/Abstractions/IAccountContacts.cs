using RenderOwl.Domain.Common;

namespace RenderOwl.Application.Common.Abstractions;

public sealed record AccountContact(string Email, string Name, bool EmailNotifications);

/// <summary>Identity, for the Notifications module: where an account is reached and whether it wants e-mail.</summary>
public interface IAccountContacts
{
    Task<AccountContact?> FindAsync(UserId account, CancellationToken cancellationToken);
}

/// <summary>Sends e-mail off the request (Hangfire jobs with retries), each message at most once once accepted.</summary>
public interface IEmailJobs
{
    /// <summary>The e-mail of a finished render, from the render as <c>GET /v1/renders/{id}</c> showed it when it finished.</summary>
    void RenderFinished(Guid account, string renderJson);

    /// <summary>A notice by e-mail, if the account opted in; <paramref name="messageId"/> makes it one copy whatever the retries.</summary>
    void Notice(Guid account, string messageId, string subject, string text);
}
