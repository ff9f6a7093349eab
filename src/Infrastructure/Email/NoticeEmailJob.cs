using Hangfire;
using Microsoft.Extensions.Options;
using RenderOwl.Application.Common.Abstractions;
using RenderOwl.Domain.Common;

namespace RenderOwl.Infrastructure.Email;

/// <summary>A notice (an endpoint disabled, …) by e-mail to an account that opted in, retried like the render e-mail.</summary>
public sealed class NoticeEmailJob(OnceMailer mailer, IAccountContacts contacts, IOptions<EmailOptions> options)
{
    [AutomaticRetry(Attempts = 5)]
    public async Task SendAsync(Guid account, string messageId, string subject, string text, CancellationToken cancellationToken)
    {
        if (!string.IsNullOrWhiteSpace(options.Value.Smtp.Host) && await contacts.FindAsync(new UserId(account), cancellationToken) is { EmailNotifications: true } contact)
        {
            await mailer.SendOnceAsync(messageId, contact, subject, $"Hello {contact.Name},\n\n{text}\n\n— RenderOwl\n", null, cancellationToken);
        }
    }
}
