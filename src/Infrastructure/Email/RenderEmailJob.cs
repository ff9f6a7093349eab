using System.Text.Json;
using Hangfire;
using Microsoft.Extensions.Options;
using RenderOwl.Application.Common.Abstractions;
using RenderOwl.Application.Notifications;
using RenderOwl.Domain.Common;

namespace RenderOwl.Infrastructure.Email;

/// <summary>
/// Sends a finished render's e-mail, retried by Hangfire (5 attempts); the Message-ID comes from the render (<see cref="OnceMailer"/>).
/// </summary>
public sealed class RenderEmailJob(OnceMailer mailer, IAccountContacts contacts, IProjectAccess projects, IOptions<EmailOptions> options)
{
    [AutomaticRetry(Attempts = 5)]
    public async Task SendAsync(Guid account, string renderJson, CancellationToken cancellationToken)
    {
        var settings = options.Value;
        if (string.IsNullOrWhiteSpace(settings.Smtp.Host) || await contacts.FindAsync(new UserId(account), cancellationToken) is not { } contact)
        {
            return;
        }
        using var render = JsonDocument.Parse(renderJson);
        var projectName = TypedId.TryParse<ProjectId>(render.RootElement.GetProperty("project_id").GetString(), out var project)
            ? await projects.NameAsync(project, cancellationToken) : null;
        var email = RenderEmail.Compose(contact.Name, projectName, render.RootElement, settings.PublicBaseUrl);
        await mailer.SendOnceAsync(email.MessageId, contact, email.Subject, email.Text, email.Html, cancellationToken);
    }
}
