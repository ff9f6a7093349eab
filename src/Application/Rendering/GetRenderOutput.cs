using Mediator;
using Microsoft.EntityFrameworkCore;
using RenderOwl.Application.Common.Abstractions;
using RenderOwl.Application.Common.Errors;
using RenderOwl.Domain.Common;

namespace RenderOwl.Application.Rendering;

/// <summary>Which of an output's files: the output itself, its JPEG poster, its contact sheet.</summary>
public enum OutputPart
{
    File,
    Poster,
    Thumbnails,
}

/// <summary>
/// A render's output file (or its poster or contact sheet), for the download endpoints; 409 until the render has succeeded,
/// 410 once retention removed it, 404 for a poster of a format without pictures or thumbnails that were not asked for.
/// </summary>
public sealed record GetRenderOutputQuery(RenderId Id, OutputPart Part = OutputPart.File) : IQuery<Download>;

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
        var madeAt = render.FinishedAt ?? render.CreatedAt;
        return query.Part switch
        {
            OutputPart.Poster => output.PosterKey is { } poster
                ? new Download(poster, "image/jpeg", output.Sha256 + "-poster", $"{render.Id}-poster.jpg", madeAt)
                : throw new NotFoundException("poster"),
            OutputPart.Thumbnails => output.ThumbnailsKey is { } sheet
                ? new Download(sheet, "image/jpeg", output.Sha256 + "-thumbnails", $"{render.Id}-thumbnails.jpg", madeAt)
                : throw new NotFoundException("thumbnails"),
            _ => OutputFiles.Download(render.Id, render.Settings.Format, output, madeAt),
        };
    }
}
