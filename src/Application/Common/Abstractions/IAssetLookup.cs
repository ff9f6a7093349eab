using RenderOwl.Domain.Common;

namespace RenderOwl.Application.Common.Abstractions;

public sealed record OwnedAsset(Guid Id, string Kind, string StorageKey, string ContentType, double? DurationSeconds = null, string? FontFamily = null, int? Width = null, int? Height = null, string? Sha256 = null);

/// <summary>Assets, for the Rendering module: which of these ids are the owner's, and where their files are.</summary>
public interface IAssetLookup
{
    Task<IReadOnlyDictionary<Guid, OwnedAsset>> FindOwnedAsync(IReadOnlyCollection<Guid> ids, UserId owner, CancellationToken cancellationToken);
    Task<IReadOnlyDictionary<Guid, OwnedAsset>> FindAsync(IReadOnlyCollection<Guid> ids, CancellationToken cancellationToken);
}
