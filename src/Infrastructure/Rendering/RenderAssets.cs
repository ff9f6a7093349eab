using Microsoft.Extensions.DependencyInjection;
using RenderOwl.Application.Common.Abstractions;
using RenderOwl.Application.Common.Media;
using RenderOwl.Application.Rendering;
using RenderOwl.Domain.Common;

namespace RenderOwl.Infrastructure.Rendering;

/// <summary>A claimed render's assets as the engine opens them: local files with the type sniffed at upload.</summary>
internal static class RenderAssets
{
    /// <summary>Every asset of the composition, or <c>asset_missing</c> (not retryable) when one was deleted since submission.</summary>
    public static async Task<IReadOnlyDictionary<AssetId, MediaFile>> ResolveAsync(IServiceScopeFactory scopes, IObjectStorage storage, ClaimedRender claimed)
    {
        if (claimed.AssetIds.Count == 0)
        {
            return new Dictionary<AssetId, MediaFile>();
        }
        await using var scope = scopes.CreateAsyncScope();
        var found = await scope.ServiceProvider.GetRequiredService<IAssetLookup>().FindAsync(claimed.AssetIds, CancellationToken.None);
        if (claimed.AssetIds.Any(a => !found.ContainsKey(a)))
        {
            throw new RenderFailedException("asset_missing", "An asset of the composition was deleted.", retryable: false);
        }
        var files = new Dictionary<AssetId, MediaFile>();
        foreach (var (id, asset) in found)
        {
            files[new AssetId(id)] = new MediaFile(await storage.LocalPathAsync(asset.StorageKey, CancellationToken.None), asset.ContentType);
        }
        return files;
    }
}
