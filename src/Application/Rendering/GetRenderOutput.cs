using Mediator;
using Microsoft.EntityFrameworkCore;
using RenderOwl.Application.Common.Abstractions;
using RenderOwl.Application.Common.Errors;
using RenderOwl.Domain.Common;
using RenderOwl.Domain.Rendering;

namespace RenderOwl.Application.Rendering;

public sealed record RenderFile(string StorageKey, string ContentType, string Sha256, string FileName, DateTimeOffset FinishedAt);

public sealed record GetRenderOutputQuery(RenderId Id) : IQuery<RenderFile>;

public sealed class GetRenderOutputHandler(IAppDbContext db, ICurrentUser current) : IQueryHandler<GetRenderOutputQuery, RenderFile>
{
    public async ValueTask<RenderFile> Handle(GetRenderOutputQuery query, CancellationToken cancellationToken)
    {
        var owner = current.Id;
        var render = await db.Renders.AsNoTracking().FirstOrDefaultAsync(r => r.Id == query.Id && r.OwnerId == owner, cancellationToken)
            ?? throw new NotFoundException("render");
        if (render.Output is not { } output)
        {
            throw new AppException(ErrorCatalog.RenderNotFinished, $"The render is {render.Status.ToString().ToLowerInvariant()}; its output exists once it has succeeded.");
        }
        var (type, extension) = render.Settings.Format switch
        {
            OutputFormat.Webm => ("video/webm", "webm"),
            OutputFormat.Gif => ("image/gif", "gif"),
            _ => ("video/mp4", "mp4"),
        };
        return new RenderFile(output.StorageKey, type, output.Sha256, $"{render.Id}.{extension}", render.FinishedAt ?? render.CreatedAt);
    }
}
