using Microsoft.Extensions.Options;
using RenderOwl.Application.Common.Abstractions;
using RenderOwl.Application.Common.Errors;
using RenderOwl.Application.Common.Media;
using RenderOwl.Application.Common.Tiers;
using RenderOwl.Domain.Assets;
using RenderOwl.Domain.Common;

namespace RenderOwl.Application.Assets;

/// <summary>
/// The one way a file becomes an asset: into storage under a server-made key (never the client's file name),
/// typed and probed from its content, then recorded. Any failure removes what was stored.
/// </summary>
public sealed class AssetIngest(IAppDbContext db, ICurrentUser current, IProjectAccess projects, IObjectStorage storage, IMediaInspector inspector, IOptions<TierOptions> tiers, TimeProvider clock)
{
    public async Task<AssetResponse> IngestAsync(ProjectId projectId, Func<string, long, Task<StoredObject>> store, string? originalName, string? sourceUrl, CancellationToken cancellationToken,
        Action<Asset>? configure = null)
    {
        var owner = current.Id;
        await projects.EnsureOwnedAsync(projectId, owner, cancellationToken);
        var now = clock.GetUtcNow();
        var id = TypedId.New<AssetId>(now);
        var key = StorageKeys.New("assets", now);
        var limit = tiers.Value.For(current.Tier).MaxAssetBytes;
        StoredObject stored;
        try
        {
            stored = await store(key, limit);
        }
        catch (ObjectTooLargeException)
        {
            throw new PayloadTooLargeException($"Assets of your tier may be at most {limit / (1024 * 1024)} MiB.");
        }
        try
        {
            if (stored.SizeBytes == 0)
            {
                throw new BadRequestException(ErrorCatalog.UnsupportedMedia, "The file is empty.");
            }
            var media = await inspector.InspectAsync(await storage.LocalPathAsync(key, cancellationToken), cancellationToken);
            var asset = Asset.Create(id, projectId, owner, media.Kind, media.ContentType, stored.SizeBytes, media.Width, media.Height,
                media.DurationSeconds, stored.Sha256, key, originalName, sourceUrl, now, media.FontFamily);
            configure?.Invoke(asset);
            db.Assets.Add(asset);
            await db.SaveChangesAsync(cancellationToken);
            return AssetResponse.From(asset);
        }
        catch
        {
            await storage.DeleteAsync(key, CancellationToken.None);
            throw;
        }
    }
}
