using System.Linq.Expressions;
using RenderOwl.Application.Common.Pagination;
using RenderOwl.Domain.Assets;
using RenderOwl.Domain.Common;

namespace RenderOwl.Application.Assets;

public sealed record AssetResponse(
    AssetId Id, ProjectId ProjectId, AssetKind Kind, string ContentType, long SizeBytes, int? Width, int? Height,
    double? DurationSeconds, string Sha256, string? OriginalName, string? SourceUrl, DateTimeOffset CreatedAt)
{
    /// <summary>A font asset's family name (what <c>style.font_family</c> names); null for other kinds.</summary>
    public string? FontFamily { get; init; }

    public static readonly Expression<Func<Asset, AssetResponse>> Projection = a => new AssetResponse(
        a.Id, a.ProjectId, a.Kind, a.ContentType, a.SizeBytes, a.Width, a.Height, a.DurationSeconds, a.Sha256, a.OriginalName, a.SourceUrl, a.CreatedAt) { FontFamily = a.FontFamily };

    private static readonly Func<Asset, AssetResponse> Map = Projection.Compile();

    public static AssetResponse From(Asset a) => Map(a);

    internal static readonly Keyset<Asset> Keyset = Keysets.NewestFirst<Asset, AssetId>(a => a.CreatedAt, a => a.Id, AssetId.From);
}
