using RenderOwl.Application.Common.Abstractions;

namespace RenderOwl.Application.Notifications;

/// <summary>A finished render of an account that opted in queues its e-mail, after the commit that finished it.</summary>
public sealed class RenderFinishedEmail(IAccountContacts contacts, IEmailJobs emails, AfterCommit afterCommit) : IRenderFinishedHandler
{
    public async Task HandleAsync(RenderFinished finished, CancellationToken cancellationToken)
    {
        if (await contacts.FindAsync(finished.OwnerId, cancellationToken) is not { EmailNotifications: true })
        {
            return;
        }
        var render = finished.Render.GetRawText();
        await afterCommit.RunAsync("queue the render e-mail", _ => { emails.RenderFinished(finished.OwnerId.Value, render); return Task.CompletedTask; }, cancellationToken);
    }
}
