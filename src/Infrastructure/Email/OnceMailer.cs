using MailKit.Net.Smtp;
using MailKit.Security;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using MimeKit;
using RenderOwl.Application.Common.Abstractions;
using RenderOwl.Domain.Notifications;
using RenderOwl.Infrastructure.Persistence;

namespace RenderOwl.Infrastructure.Email;

/// <summary>
/// Sends one message with MailKit, at most once per Message-ID once the server accepted it: an accepted message is
/// recorded (<c>notifications.sent_emails</c>) and a retried job finds the record. A copy goes twice only if the process
/// dies between the server's acceptance and the record (receivers dedupe the Message-ID).
/// </summary>
public sealed class OnceMailer(AppDbContext db, IOptions<EmailOptions> options, TimeProvider clock, ILogger<OnceMailer> logger)
{
    public async Task SendOnceAsync(string messageId, AccountContact to, string subject, string text, string? html, CancellationToken cancellationToken)
    {
        if (await db.SentEmails.AnyAsync(e => e.MessageId == messageId, cancellationToken))
        {
            return; // accepted on an earlier attempt
        }
        var settings = options.Value;
        var message = new MimeMessage { Subject = subject, MessageId = messageId };
        message.From.Add(MailboxAddress.Parse(settings.From));
        message.To.Add(new MailboxAddress(to.Name, to.Email));
        message.Body = new BodyBuilder { TextBody = text, HtmlBody = html }.ToMessageBody();
        using (var smtp = new SmtpClient())
        {
            smtp.Timeout = 30_000;
            await smtp.ConnectAsync(settings.Smtp.Host ?? throw new InvalidOperationException("Email:Smtp:Host is not set."), settings.Smtp.Port, settings.Smtp.UseTls ? SecureSocketOptions.StartTlsWhenAvailable : SecureSocketOptions.None, cancellationToken);
            if (!string.IsNullOrEmpty(settings.Smtp.Username))
            {
                await smtp.AuthenticateAsync(settings.Smtp.Username, settings.Smtp.Password ?? "", cancellationToken);
            }
            await smtp.SendAsync(message, cancellationToken);
            await smtp.DisconnectAsync(quit: true, cancellationToken);
        }
        db.SentEmails.Add(SentEmail.Record(messageId, clock.GetUtcNow()));
        try
        {
            await db.SaveChangesAsync(CancellationToken.None);
        }
        catch (DbUpdateException ex) when (ex.InnerException is Npgsql.PostgresException { SqlState: Npgsql.PostgresErrorCodes.UniqueViolation })
        {
            // Another run of this job sent and recorded it meanwhile: two copies went out; the record stands.
            logger.LogWarning("The e-mail {MessageId} was sent by two runs at once", messageId);
            return;
        }
        logger.LogInformation("Sent the e-mail {MessageId}", messageId);
    }
}
