using Hangfire;
using Microsoft.EntityFrameworkCore;
using Mediator;
using Microsoft.Extensions.Logging;
using RenderOwl.Application.Common.Abstractions;
using RenderOwl.Application.Identity.Deletion;
using RenderOwl.Application.Identity.Exports;
using RenderOwl.Domain.Common;

namespace RenderOwl.Infrastructure.Jobs;

/// <summary>Builds one export (queue <c>low</c>); a crashed run is retried and builds it again.</summary>
public sealed class BuildExportJob(ISender sender)
{
    [AutomaticRetry(Attempts = 3)]
    [Queue("low")]
    public async Task RunAsync(Guid exportId, CancellationToken cancellationToken) => await sender.Send(new BuildExportCommand(new ExportId(exportId)), cancellationToken);
}

/// <summary>
/// Deletes one account's data (queue <c>low</c>). While a render of the account is still stopping it schedules itself
/// again 5 s later; a crash mid-way is retried by Hangfire and, failing that, resumed by <see cref="AccountDeletionSweepJob"/>.
/// </summary>
public sealed class DeleteAccountJob(ISender sender, IBackgroundJobClient jobs)
{
    [AutomaticRetry(Attempts = 10)]
    [DisableConcurrentExecution(3600)]
    [Queue("low")]
    public async Task RunAsync(Guid userId, CancellationToken cancellationToken)
    {
        var progress = await sender.Send(new DeleteAccountDataCommand(new UserId(userId)), cancellationToken);
        if (progress.State is DeletionState.WaitingForRenders or DeletionState.Paused)
        {
            jobs.Schedule<DeleteAccountJob>(job => job.RunAsync(userId, CancellationToken.None), TimeSpan.FromSeconds(5));
        }
    }
}

/// <summary>Every 10 minutes: resumes any deletion requested over 10 minutes ago whose job was lost, and builds exports queued that long.</summary>
public sealed class AccountDeletionSweepJob(ISender sender, Persistence.AppDbContext db, IBackgroundJobClient jobs, TimeProvider clock, ILogger<AccountDeletionSweepJob> logger)
{
    [AutomaticRetry(Attempts = 0)]
    [DisableConcurrentExecution(600)]
    [Queue("low")]
    public async Task RunAsync(CancellationToken cancellationToken)
    {
        var before = clock.GetUtcNow().AddMinutes(-10);
        var pending = await db.Users.Where(u => u.DeletionRequestedAt != null && u.DeletionRequestedAt < before).Select(u => u.Id).ToListAsync(cancellationToken);
        foreach (var id in pending)
        {
            logger.LogInformation("Resuming the deletion of {UserId}", id);
            var value = id.Value;
            jobs.Enqueue<DeleteAccountJob>(job => job.RunAsync(value, CancellationToken.None));
        }
        var stale = await db.Exports.Where(e => e.Status == Domain.Identity.ExportStatus.Queued && e.CreatedAt < before).Select(e => e.Id).ToListAsync(cancellationToken);
        foreach (var id in stale)
        {
            await sender.Send(new BuildExportCommand(id), cancellationToken);
        }
    }
}

/// <summary>Enqueues the account's data jobs in Hangfire.</summary>
public sealed class HangfireAccountDataJobs(IBackgroundJobClient jobs) : IAccountDataJobs
{
    public void BuildExport(ExportId id)
    {
        var value = id.Value;
        jobs.Enqueue<BuildExportJob>(job => job.RunAsync(value, CancellationToken.None));
    }

    public void DeleteAccount(UserId id)
    {
        var value = id.Value;
        jobs.Enqueue<DeleteAccountJob>(job => job.RunAsync(value, CancellationToken.None));
    }
}
