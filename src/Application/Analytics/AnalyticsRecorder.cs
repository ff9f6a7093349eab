using System.Text.Json;
using RenderOwl.Application.Common.Abstractions;
using RenderOwl.Application.Common.Json;
using RenderOwl.Domain.Analytics;
using RenderOwl.Domain.Common;

namespace RenderOwl.Application.Analytics;

/// <summary>Events RenderOwl records itself, in the caller's unit of work (they commit, or not, with what caused them).</summary>
public sealed class AnalyticsRecorder(IAppDbContext db, TimeProvider clock) : IAnalyticsRecorder
{
    public void Record(UserId owner, ProjectId? project, string name, DateTimeOffset occurredAt, object? properties = null)
        => db.AnalyticsEvents.Add(AnalyticsEvent.Create(owner, project, name, occurredAt,
            properties is null ? "{}" : JsonSerializer.Serialize(properties, ApiJson.Options), clock.GetUtcNow()));
}

/// <summary>A finished render becomes <c>render.succeeded|failed|canceled</c>, with the output's seconds and bytes.</summary>
public sealed class RenderFinishedAnalytics(IAnalyticsRecorder analytics) : IRenderFinishedHandler
{
    public Task HandleAsync(RenderFinished finished, CancellationToken cancellationToken)
    {
        double? seconds = null;
        long? bytes = null;
        if (finished.Render.TryGetProperty("output", out var output) && output.ValueKind == JsonValueKind.Object)
        {
            seconds = output.TryGetProperty("duration_seconds", out var d) && d.TryGetDouble(out var s) ? s : null;
            bytes = output.TryGetProperty("size_bytes", out var b) && b.TryGetInt64(out var n) ? n : null;
        }
        analytics.Record(finished.OwnerId, finished.ProjectId, "render." + finished.Status, finished.At,
            new { render_id = finished.RenderId.ToString(), error_code = finished.ErrorCode, render_seconds = seconds, output_bytes = bytes });
        return Task.CompletedTask;
    }
}
