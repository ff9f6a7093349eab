using Microsoft.EntityFrameworkCore;
using RenderOwl.Application.Common.Abstractions;
using RenderOwl.Application.Common.Errors;
using RenderOwl.Domain.Common;

namespace RenderOwl.Application.Identity.Exports;

/// <summary><c>GET /v1/me/exports/{id}</c>: 404 for another account's export or one past its 7 days.</summary>
public sealed record GetExportQuery(ExportId Id) : Mediator.IQuery<ExportResponse>;

public sealed class GetExportHandler(IAppDbContext db, ICurrentUser current) : Mediator.IQueryHandler<GetExportQuery, ExportResponse>
{
    public async ValueTask<ExportResponse> Handle(GetExportQuery query, CancellationToken cancellationToken)
    {
        var userId = current.Id;
        var export = await db.Exports.AsNoTracking().FirstOrDefaultAsync(e => e.Id == query.Id && e.UserId == userId, cancellationToken)
            ?? throw new NotFoundException("export");
        return ExportResponse.From(export);
    }
}
