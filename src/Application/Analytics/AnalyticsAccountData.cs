using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using RenderOwl.Application.Common;
using RenderOwl.Application.Common.Abstractions;
using RenderOwl.Application.Common.Accounts;
using RenderOwl.Domain.Common;

namespace RenderOwl.Application.Analytics;

/// <summary>The Analytics module's part of an account's data: its raw events, one per line in an export.</summary>
public sealed class AnalyticsAccountData(IAppDbContext db) : IAccountExportSource, IAccountErasure
{
    public IEnumerable<ExportSection> Sections(UserId owner) =>
    [
        new(80, "analytics_events.jsonl", ExportLayout.Lines, ct => AccountRows.Stream(
            db.AnalyticsEvents.AsNoTracking().Where(e => e.OwnerId == owner).OrderBy(e => e.OccurredAt).ThenBy(e => e.Id),
            e => new AnalyticsEventExport(e.Id, e.Name, e.OccurredAt, e.ReceivedAt, e.ProjectId, JsonSerializer.Deserialize<JsonElement>(e.PropertiesJson)), ct)),
    ];

    public IEnumerable<ErasureStep> Steps(AccountScope account)
    {
        var owner = account.User;
        yield return new(80, "analytics_events", ct => Chunks.DeleteChunkAsync(db.AnalyticsEvents.Where(e => e.OwnerId == owner), e => e.Id, e => e.OccurredAt, ct));
    }
}

public sealed record AnalyticsEventExport(Guid Id, string Name, DateTimeOffset OccurredAt, DateTimeOffset ReceivedAt, ProjectId? ProjectId, JsonElement Properties);
