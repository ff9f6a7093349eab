using Mediator;
using Microsoft.EntityFrameworkCore;
using RenderOwl.Application.Common.Abstractions;
using RenderOwl.Application.Common.Errors;
using RenderOwl.Application.Common.Json;
using RenderOwl.Domain.Common;

namespace RenderOwl.Application.Rendering;

public sealed record GetRenderManifestQuery(RenderId Id) : IQuery<RenderManifest>;

public sealed record ManifestAsset(AssetId AssetId, string Sha256);

public sealed record ManifestFont(string Family, string Sha256);

public sealed record ManifestEngine(string FfmpegVersion, IReadOnlyList<string> Arguments);

/// <summary>What made a render's output: the resolved composition (SHA-256 of its canonical JSON), its output settings, the files it used, the engine and its exact arguments, and the output's hash.</summary>
public sealed record RenderManifest(string CompositionSha256, Domain.Rendering.OutputSettings OutputSettings, IReadOnlyList<ManifestAsset> Assets,
    IReadOnlyList<ManifestFont> Fonts, ManifestEngine? Engine, string OutputSha256);

/// <summary>A succeeded render's manifest; 409 before it succeeded. Assets and fonts are listed from their current rows: one deleted since the render is absent.</summary>
public sealed class GetRenderManifestHandler(IReadDbContext db, ICurrentUser current, IAssetLookup assets) : IQueryHandler<GetRenderManifestQuery, RenderManifest>
{
    public async ValueTask<RenderManifest> Handle(GetRenderManifestQuery query, CancellationToken cancellationToken)
    {
        var owner = current.Id;
        var render = await db.Renders.AsNoTracking().Where(r => r.Id == query.Id && r.OwnerId == owner)
            .Select(r => new { r.Status, r.CompositionJson, r.Settings, r.AssetIds, r.Output }).FirstOrDefaultAsync(cancellationToken)
            ?? throw new NotFoundException("render");
        if (render.Output is not { } output)
        {
            throw new ConflictException(ErrorCatalog.RenderNotFinished, $"The render is {render.Status.ToString().ToLowerInvariant()}; its manifest exists once it has succeeded.");
        }
        var files = render.AssetIds.Count == 0 ? [] : (await assets.FindOwnedAsync(render.AssetIds, owner, cancellationToken)).Values.ToList();
        return new RenderManifest(
            CanonicalJson.Sha256(render.CompositionJson),
            render.Settings,
            files.Where(f => f.Kind != "font").OrderBy(f => f.Id).Select(f => new ManifestAsset(AssetId.From(f.Id), f.Sha256 ?? "")).ToList(),
            files.Where(f => f.Kind == "font").OrderBy(f => f.FontFamily, StringComparer.Ordinal).Select(f => new ManifestFont(f.FontFamily ?? "", f.Sha256 ?? "")).ToList(),
            output.Engine is { } engine ? new ManifestEngine(engine.FfmpegVersion, engine.Arguments) : null,
            output.Sha256);
    }
}
