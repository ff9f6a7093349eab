using Microsoft.Extensions.Options;
using RenderOwl.Application.Common;
using RenderOwl.Application.Common.Abstractions;

namespace RenderOwl.Application.Notifications;

/// <summary>
/// The record of sent render e-mails older than <see cref="RetentionOptions.SentEmailsDays"/>: it only has to outlive the
/// e-mail job's retries (hours), so that a retried job does not send twice.
/// </summary>
public sealed class SentEmailRetention(IAppDbContext db, IOptions<RetentionOptions> options) : IRetentionPolicy
{
    public string Name => "sent_emails";

    public Task<int> ApplyAsync(DateTimeOffset now, CancellationToken cancellationToken)
    {
        var cutoff = now.AddDays(-options.Value.SentEmailsDays);
        return Chunks.DeleteOldestAsync(db.SentEmails.Where(e => e.SentAt < cutoff), e => e.SentAt, cancellationToken);
    }
}
