using Microsoft.EntityFrameworkCore;
using RenderOwl.Application.Common.Abstractions;
using RenderOwl.Application.Common.Errors;
using RenderOwl.Domain.Identity;

namespace RenderOwl.Application.Identity.Exports;

/// <summary><c>POST /v1/me/exports</c>: queue an export of everything the account holds. One at a time per account (409 while one is queued or running).</summary>
public sealed record RequestExportCommand : ITransactionalCommand<ExportResponse>;

public sealed class RequestExportHandler(IAppDbContext db, ICurrentUser current, IAccountDataJobs jobs, AfterCommit afterCommit, TimeProvider clock)
    : Mediator.ICommandHandler<RequestExportCommand, ExportResponse>
{
    public async ValueTask<ExportResponse> Handle(RequestExportCommand command, CancellationToken cancellationToken)
    {
        var userId = current.Id;
        var active = await db.Exports.AsNoTracking()
            .Where(e => e.UserId == userId && (e.Status == ExportStatus.Queued || e.Status == ExportStatus.Running))
            .Select(e => (Domain.Common.ExportId?)e.Id).FirstOrDefaultAsync(cancellationToken);
        if (active is { } id)
        {
            throw new ConflictException(ErrorCatalog.ExportInProgress, $"The export {id} is still being built; poll /v1/me/exports/{id}.");
        }
        var export = DataExport.Request(userId, clock.GetUtcNow());
        db.Exports.Add(export); // two requests at once: the partial unique index lets one in, the other gets 409
        await db.SaveChangesAsync(cancellationToken);
        await afterCommit.RunAsync("enqueue the export", _ =>
        {
            jobs.BuildExport(export.Id);
            return Task.CompletedTask;
        }, cancellationToken);
        return ExportResponse.From(export);
    }
}
