using Hangfire;
using RenderOwl.Application.Common.Abstractions;

namespace RenderOwl.Infrastructure.Email;

/// <summary>E-mails as Hangfire jobs (retried by Hangfire; sent at most once per Message-ID by <see cref="OnceMailer"/>).</summary>
public sealed class HangfireEmailJobs(IBackgroundJobClient jobs) : IEmailJobs
{
    public void RenderFinished(Guid account, string renderJson) => jobs.Enqueue<RenderEmailJob>(j => j.SendAsync(account, renderJson, CancellationToken.None));

    public void Notice(Guid account, string messageId, string subject, string text)
        => jobs.Enqueue<NoticeEmailJob>(j => j.SendAsync(account, messageId, subject, text, CancellationToken.None));
}
