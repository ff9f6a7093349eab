using Microsoft.EntityFrameworkCore;
using RenderOwl.Application.Common.Abstractions;
using RenderOwl.Domain.Assets;
using RenderOwl.Domain.Common;

namespace RenderOwl.Application.Assets;

/// <summary>
/// A layer's <c>src</c> as an asset of the caller. The newest earlier import of the same URL by this account is revalidated
/// with a conditional GET (<c>If-None-Match</c> with its <c>ETag</c>, else <c>If-Modified-Since</c> with its
/// <c>Last-Modified</c>): a 304 reuses it without downloading anything; a 200 (or a server that gave no validators) is a
/// new import through the same SSRF-guarded fetch and content check as <c>POST /assets {"url"}</c>.
/// </summary>
public sealed class ImportSource(IAppDbContext db, ICurrentUser current, AssetIngest ingest, ISafeFetcher fetcher, IObjectStorage storage) : IAssetSources
{
    public async Task<SourcedAsset> ImportAsync(ProjectId projectId, Uri url, CancellationToken cancellationToken)
    {
        var owner = current.Id;
        var source = url.OriginalString;
        var known = await db.Assets.Where(a => a.OwnerId == owner && a.SourceUrl == source).OrderByDescending(a => a.CreatedAt).FirstOrDefaultAsync(cancellationToken);
        var validators = known is { SourceEtag: not null } or { SourceLastModified: not null } ? new CacheValidators(known.SourceEtag, known.SourceLastModified) : null;
        FetchResult? fetched = null;
        Asset? created = null;
        try
        {
            await ingest.IngestAsync(projectId, async (key, limit) =>
            {
                fetched = await fetcher.FetchAsync(url, key, limit, storage, validators, cancellationToken);
                return fetched.NotModified ? throw new NotModified() : fetched.Stored!;
            }, Path.GetFileName(url.AbsolutePath) is { Length: > 0 } name ? name : null, source, cancellationToken, asset =>
            {
                asset.RememberSource(fetched?.Validators.ETag, fetched?.Validators.LastModified);
                created = asset;
            });
            return new SourcedAsset(Owned(created!), Downloaded: true);
        }
        catch (NotModified)
        {
            return new SourcedAsset(Owned(known!), Downloaded: false);
        }
    }

    private static OwnedAsset Owned(Asset a)
        => new(a.Id.Value, a.Kind.ToString().ToLowerInvariant(), a.StorageKey, a.ContentType, a.DurationSeconds, a.FontFamily, a.Width, a.Height, a.Sha256);

    /// <summary>The server's 304: nothing was stored, the earlier import stands.</summary>
    private sealed class NotModified : Exception;
}
