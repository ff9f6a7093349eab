using System.Text.Json;
using Hangfire;
using MailKit.Net.Smtp;
using MailKit.Security;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using MimeKit;
using RenderOwl.Application.Common.Abstractions;
using RenderOwl.Application.Notifications;
using RenderOwl.Domain.Common;
using RenderOwl.Domain.Notifications;
using RenderOwl.Infrastructure.Persistence;

namespace RenderOwl.Infrastructure.Email;

/// <summary>
/// Sends a finished render's e-mail with MailKit, retried by Hangfire (5 attempts). The Message-ID comes from the render,
/// and an accepted message is recorded (<c>notifications.sent_emails</c>), so a retried job never sends a second copy of one
/// the server took. A copy is sent twice only if the process dies between the server's acceptance and the record.
/// </summary>
public sealed class RenderEmailJob(AppDbContext db, IAccountContacts contacts, IOptions<EmailOptions> options, TimeProvider clock, ILogger<RenderEmailJob> logger)
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
        var email = RenderEmail.Compose(contact.Name, render.RootElement, settings.PublicBaseUrl);
        if (await db.SentEmails.AnyAsync(e => e.MessageId == email.MessageId, cancellationToken))
        {
            return; // the server accepted it on an earlier attempt
        }
        var message = new MimeMessage { Subject = email.Subject, MessageId = email.MessageId };
        message.From.Add(MailboxAddress.Parse(settings.From));
        message.To.Add(new MailboxAddress(contact.Name, contact.Email));
        message.Body = new BodyBuilder { TextBody = email.Text, HtmlBody = email.Html }.ToMessageBody();
        using (var smtp = new SmtpClient())
        {
            smtp.Timeout = 30_000;
            await smtp.ConnectAsync(settings.Smtp.Host, settings.Smtp.Port, settings.Smtp.UseTls ? SecureSocketOptions.StartTlsWhenAvailable : SecureSocketOptions.None, cancellationToken);
            if (!string.IsNullOrEmpty(settings.Smtp.Username))
            {
                await smtp.AuthenticateAsync(settings.Smtp.Username, settings.Smtp.Password ?? "", cancellationToken);
            }
            await smtp.SendAsync(message, cancellationToken);
            await smtp.DisconnectAsync(quit: true, cancellationToken);
        }
        db.SentEmails.Add(SentEmail.Record(email.MessageId, clock.GetUtcNow()));
        await db.SaveChangesAsync(CancellationToken.None);
        logger.LogInformation("Sent the e-mail of {MessageId}", email.MessageId);
    }
}

public sealed class HangfireEmailJobs(IBackgroundJobClient jobs) : IEmailJobs
{
    public void RenderFinished(Guid account, string renderJson) => jobs.Enqueue<RenderEmailJob>(j => j.SendAsync(account, renderJson, CancellationToken.None));
}
