using RenderOwl.Domain.Common;
using RenderOwl.Domain.Identity;

namespace RenderOwl.Application.Identity.Exports;

/// <summary>An export as <c>GET /v1/me/exports/{id}</c> shows it; <c>download_url</c> once it has succeeded.</summary>
public sealed record ExportResponse(ExportId Id, string Status, DateTimeOffset CreatedAt, DateTimeOffset? StartedAt, DateTimeOffset? FinishedAt,
    long? SizeBytes, string? Sha256, string? DownloadUrl, DateTimeOffset ExpiresAt, string? Error)
{
    public static ExportResponse From(DataExport e) => new(e.Id, e.Status.ToString().ToLowerInvariant(), e.CreatedAt, e.StartedAt, e.FinishedAt,
        e.SizeBytes, e.Sha256, e.Status == ExportStatus.Succeeded ? $"/v1/me/exports/{e.Id}/download" : null, e.CreatedAt + DataExport.Lifetime,
        e.Status == ExportStatus.Failed ? "The export could not be built; request a new one." : null);
}
