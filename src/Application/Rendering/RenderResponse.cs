using System.Linq.Expressions;
using System.Text.Json;
using RenderOwl.Application.Common.Json;
using RenderOwl.Application.Common.Pagination;
using RenderOwl.Domain.Common;
using RenderOwl.Domain.Rendering;

namespace RenderOwl.Application.Rendering;

public sealed record RenderError(string Code, string? Message);

/// <summary>A render's output: <c>status</c> <c>available</c> (download at <c>url</c>) or <c>expired</c> (the file was removed by retention; <c>url</c> null).</summary>
public sealed record RenderOutputResponse(string? Url, OutputFormat Format, int Width, int Height, double Fps, double DurationSeconds, long SizeBytes, string Sha256)
{
    public string Status { get; init; } = "available";

    public DateTimeOffset? ExpiredAt { get; init; }

    /// <summary>The quality report measured on the output (null for renders from before it existed).</summary>
    public QualityReport? Qc { get; init; }

    /// <summary>The video's JPEG poster (null for mp3, stills and renders from before posters).</summary>
    public string? PosterUrl { get; init; }

    /// <summary>The contact sheet, when <c>thumbnails</c> was asked for.</summary>
    public string? ThumbnailsUrl { get; init; }
}

public sealed record RenderResponse(
    RenderId Id, ProjectId ProjectId, TemplateId? TemplateId, RenderStatus Status, RenderPriority Priority, int Progress, int Attempts, int MaxAttempts,
    IReadOnlyList<string> Tags, JsonElement Metadata, OutputSettings OutputSettings, bool Sandbox,
    DateTimeOffset CreatedAt, DateTimeOffset QueuedAt, DateTimeOffset? StartedAt, DateTimeOffset? FinishedAt, DateTimeOffset? NextAttemptAt,
    bool CancelRequested, RenderError? Error, RenderOutputResponse? Output, long? WaitMs, long? RunMs)
{
    /// <summary>Finished at submission from an identical earlier render's output (memoization): no engine run, not counted against the hourly quota.</summary>
    public bool Cached { get; init; }

    /// <summary>Why a queued render waits: <c>concurrency_limit</c>, <c>retry_backoff</c> or <c>queue</c> (null unless queued).</summary>
    public string? QueueReason { get; init; }

    /// <summary>
    /// The columns a response shows, selected in SQL by lists (never the composition, up to 1 MiB a render). JSON
    /// text is parsed in <see cref="From(RenderRow)"/>.
    /// </summary>
    internal static readonly Expression<Func<Render, RenderRow>> Row = r => new RenderRow(
        r.Id, r.ProjectId, r.TemplateId, r.Status, r.Priority, r.Progress, r.Attempts, r.MaxAttempts, r.Tags, r.MetadataJson, r.Settings, r.Watermark,
        r.CreatedAt, r.QueuedAt, r.StartedAt, r.FinishedAt, r.NextAttemptAt, r.CancelRequested, r.ErrorCode, r.ErrorMessage, r.Output, r.WaitMs, r.RunMs,
        r.OwnerId, r.ConcurrencyCap, r.OutputExpiredAt, r.Cached);

    private static readonly Func<Render, RenderRow> ToRow = Row.Compile();

    public static RenderResponse From(Render r) => From(ToRow(r));

    internal static RenderResponse From(RenderRow r) => new(
        r.Id, r.ProjectId, r.TemplateId, r.Status, r.Priority, r.Progress, r.Attempts, r.MaxAttempts, r.Tags, JsonElements.Parse(r.MetadataJson), r.Settings, r.Watermark,
        r.CreatedAt, r.QueuedAt, r.StartedAt, r.FinishedAt, r.Status == RenderStatus.Queued && r.Attempts > 0 ? r.NextAttemptAt : null,
        r.CancelRequested, r.ErrorCode is { } code ? new RenderError(code, r.ErrorMessage) : null,
        r.Output is { } o ? OutputOf(r.Id, r.Settings.Format, o, r.OutputExpiredAt) : null,
        r.WaitMs, r.RunMs) { Cached = r.Cached };

    private static RenderOutputResponse OutputOf(RenderId id, OutputFormat format, RenderOutputInfo o, DateTimeOffset? expiredAt) => expiredAt is { } at
        ? new(null, format, o.Width, o.Height, o.Fps, o.DurationSeconds, o.SizeBytes, o.Sha256) { Status = "expired", ExpiredAt = at, Qc = o.Qc }
        : new($"/v1/renders/{id}/output", format, o.Width, o.Height, o.Fps, o.DurationSeconds, o.SizeBytes, o.Sha256)
        {
            Qc = o.Qc,
            PosterUrl = o.PosterKey is null ? null : $"/v1/renders/{id}/poster",
            ThumbnailsUrl = o.ThumbnailsKey is null ? null : $"/v1/renders/{id}/thumbnails",
        };

    internal static readonly Keyset<Render> Keyset = Keysets.NewestFirst<Render, RenderId>(r => r.CreatedAt, r => r.Id, RenderId.From);
}

/// <summary>A render as lists read it: the response's columns, JSON still text.</summary>
internal sealed record RenderRow(
    RenderId Id, ProjectId ProjectId, TemplateId? TemplateId, RenderStatus Status, RenderPriority Priority, int Progress, int Attempts, int MaxAttempts,
    List<string> Tags, string MetadataJson, OutputSettings Settings, bool Watermark, DateTimeOffset CreatedAt, DateTimeOffset QueuedAt,
    DateTimeOffset? StartedAt, DateTimeOffset? FinishedAt, DateTimeOffset NextAttemptAt, bool CancelRequested, string? ErrorCode, string? ErrorMessage,
    RenderOutputInfo? Output, long? WaitMs, long? RunMs, UserId OwnerId, int ConcurrencyCap, DateTimeOffset? OutputExpiredAt, bool Cached);
