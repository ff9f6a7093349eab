using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using RenderOwl.Application.Common.Pagination;
using RenderOwl.Domain.Common;
using RenderOwl.Domain.Rendering;

namespace RenderOwl.Application.Rendering;

public sealed record RenderError(string Code, string? Message);

public sealed record RenderOutputResponse(string Url, OutputFormat Format, int Width, int Height, double Fps, double DurationSeconds, long SizeBytes, string Sha256);

public sealed record RenderResponse(
    RenderId Id, ProjectId ProjectId, TemplateId? TemplateId, RenderStatus Status, RenderPriority Priority, int Progress, int Attempts, int MaxAttempts,
    IReadOnlyList<string> Tags, JsonElement Metadata, OutputSettings OutputSettings, bool Sandbox,
    DateTimeOffset CreatedAt, DateTimeOffset QueuedAt, DateTimeOffset? StartedAt, DateTimeOffset? FinishedAt, DateTimeOffset? NextAttemptAt,
    bool CancelRequested, RenderError? Error, RenderOutputResponse? Output, long? WaitMs, long? RunMs)
{
    /// <summary>Why a queued render waits: <c>concurrency_limit</c>, <c>retry_backoff</c> or <c>queue</c> (null unless queued).</summary>
    public string? QueueReason { get; init; }

    public static RenderResponse From(Render r) => new(
        r.Id, r.ProjectId, r.TemplateId, r.Status, r.Priority, r.Progress, r.Attempts, r.MaxAttempts, r.Tags, Json(r.MetadataJson), r.Settings, r.Watermark,
        r.CreatedAt, r.QueuedAt, r.StartedAt, r.FinishedAt, r.Status == RenderStatus.Queued && r.Attempts > 0 ? r.NextAttemptAt : null,
        r.CancelRequested, r.ErrorCode is { } code ? new RenderError(code, r.ErrorMessage) : null,
        r.Output is { } o ? new RenderOutputResponse($"/v1/renders/{r.Id}/output", r.Settings.Format, o.Width, o.Height, o.Fps, o.DurationSeconds, o.SizeBytes, o.Sha256) : null,
        r.WaitMs, r.RunMs);

    private static JsonElement Json(string json)
    {
        using var doc = JsonDocument.Parse(json);
        return doc.RootElement.Clone();
    }

    internal static readonly Keyset<Render> Keyset = new(
        q => q.OrderByDescending(r => r.CreatedAt).ThenByDescending(r => r.Id),
        (createdAt, id) =>
        {
            var renderId = new RenderId(id);
            return r => EF.Functions.LessThan(ValueTuple.Create(r.CreatedAt, r.Id), ValueTuple.Create(createdAt, renderId));
        });
}
