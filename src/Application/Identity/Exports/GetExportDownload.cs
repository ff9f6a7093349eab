using Microsoft.EntityFrameworkCore;
using RenderOwl.Application.Common.Abstractions;
using RenderOwl.Application.Common.Errors;
using RenderOwl.Domain.Common;
using RenderOwl.Domain.Identity;

namespace RenderOwl.Application.Identity.Exports;

/// <summary><c>GET /v1/me/exports/{id}/download</c>: the zip; 409 <c>export-not-ready</c> until the export has succeeded.</summary>
public sealed record GetExportDownloadQuery(ExportId Id) : Mediator.IQuery<Download>;

public sealed class GetExportDownloadHandler(IAppDbContext db, ICurrentUser current) : Mediator.IQueryHandler<GetExportDownloadQuery, Download>
{
    public async ValueTask<Download> Handle(GetExportDownloadQuery query, CancellationToken cancellationToken)
    {
        var userId = current.Id;
        var export = await db.Exports.AsNoTracking().FirstOrDefaultAsync(e => e.Id == query.Id && e.UserId == userId, cancellationToken)
            ?? throw new NotFoundException("export");
        if (export.Status != ExportStatus.Succeeded || export.StorageKey is null || export.Sha256 is null)
        {
            throw new ConflictException(ErrorCatalog.ExportNotReady, $"The export is {export.Status.ToString().ToLowerInvariant()}.");
        }
        return new Download(export.StorageKey, "application/zip", export.Sha256, $"renderowl-export-{export.CreatedAt:yyyyMMdd}-{export.Id}.zip", export.FinishedAt ?? export.CreatedAt);
    }
}
