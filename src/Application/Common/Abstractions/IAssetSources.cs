using RenderOwl.Domain.Common;

namespace RenderOwl.Application.Common.Abstractions;

/// <summary>
/// Sources by URL (<c>src</c> on image, video and audio layers): the Assets module imports a URL into the caller's assets,
/// or reuses the asset an earlier import of the same URL made while the server says it has not changed.
/// Throws the fetch's and the ingest's problems (<c>url-not-allowed</c>, <c>fetch-failed</c>, <c>unsupported-media</c>, 413).
/// </summary>
public interface IAssetSources
{
    Task<SourcedAsset> ImportAsync(ProjectId projectId, Uri url, CancellationToken cancellationToken);
}

/// <summary>The asset a URL stands for, and whether its bytes were downloaded this time (false: reused after a 304).</summary>
public sealed record SourcedAsset(OwnedAsset Asset, bool Downloaded);
