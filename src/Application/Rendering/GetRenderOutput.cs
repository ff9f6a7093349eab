using Mediator;
using Microsoft.EntityFrameworkCore;
using RenderOwl.Application.Common.Abstractions;
using RenderOwl.Application.Common.Errors;
using RenderOwl.Domain.Common;

namespace RenderOwl.Application.Rendering;

/// <summary>A render's output file, for the download endpoint; 409 until the render has succeeded, 410 once retention removed it.</summary>
public sealed record GetRenderOutputQuery(RenderId Id) : IQuery<Download>;

public sealed class GetRenderOutputHandler(IAppDbContext db, ICurrentUser current) : IQueryHandler<GetRenderOutputQuery, Download>
{
    public async ValueTask<Download> Handle(GetRenderOutputQuery query, CancellationToken cancellationToken)
    {
        var owner = current.Id;
        var render = await db.Renders.AsNoTracking().Where(r => r.Id == query.Id && r.OwnerId == owner)
            .Select(r => new { r.Id, r.Status, r.Output, r.OutputExpiredAt, r.Settings, r.FinishedAt, r.CreatedAt }).FirstOrDefaultAsync(cancellationToken)
            ?? throw new NotFoundException("render");
        if (render.Output is not { } output)
        {
            throw new ConflictException(ErrorCatalog.RenderNotFinished, $"The render is {render.Status.ToString().ToLowerInvariant()}; its output exists once it has succeeded.");
        }
        if (render.OutputExpiredAt is { } expired)
        {
            throw new GoneException(ErrorCatalog.OutputExpired, $"The output's file was removed on {expired:yyyy-MM-dd} by retention; the render's figures remain.");
        }
        return OutputFiles.Download(render.Id, render.Settings.Format, output, render.FinishedAt ?? render.CreatedAt);
    }
}
