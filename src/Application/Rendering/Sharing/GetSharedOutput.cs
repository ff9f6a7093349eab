using Mediator;
using Microsoft.EntityFrameworkCore;
using RenderOwl.Application.Common.Abstractions;
using RenderOwl.Application.Common.Errors;

namespace RenderOwl.Application.Rendering.Sharing;

public sealed record GetSharedOutputQuery(string Token) : IQuery<Download>;

/// <summary>
/// The output behind a share link, for anyone holding it: 404 for a token this server did not sign (nothing about the
/// render is revealed), 410 <c>share-link-expired</c> / <c>share-link-revoked</c>, 410 <c>output-expired</c> once
/// retention removed the file. Read on the primary: a revocation must hold at once.
/// </summary>
public sealed class GetSharedOutputHandler(IAppDbContext db, ShareLinks links, TimeProvider clock) : IQueryHandler<GetSharedOutputQuery, Download>
{
    public async ValueTask<Download> Handle(GetSharedOutputQuery query, CancellationToken cancellationToken)
    {
        var token = links.Read(query.Token) ?? throw new NotFoundException("share link");
        var render = await db.Renders.AsNoTracking().Where(r => r.Id == token.RenderId)
            .Select(r => new { r.Id, r.Output, r.OutputExpiredAt, r.ShareEpoch, r.Settings, r.FinishedAt, r.CreatedAt }).FirstOrDefaultAsync(cancellationToken)
            ?? throw new NotFoundException("share link");
        if (token.Epoch != render.ShareEpoch)
        {
            throw new GoneException(ErrorCatalog.ShareLinkRevoked, "This link was revoked by the render's owner.");
        }
        if (clock.GetUtcNow() >= token.ExpiresAt)
        {
            throw new GoneException(ErrorCatalog.ShareLinkExpired, $"This link stopped working at {token.ExpiresAt:yyyy-MM-dd'T'HH:mm:ss'Z'}.");
        }
        if (render.Output is not { } output)
        {
            throw new NotFoundException("share link");
        }
        if (render.OutputExpiredAt is not null)
        {
            throw new GoneException(ErrorCatalog.OutputExpired, "The output's file was removed by retention.");
        }
        return OutputFiles.Download(render.Id, render.Settings.Format, output, render.FinishedAt ?? render.CreatedAt);
    }
}
