using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using RenderOwl.Application.Common.Abstractions;
using RenderOwl.Application.Common.Errors;
using RenderOwl.Application.Common.Tiers;
using RenderOwl.Domain.Common;
using RenderOwl.Domain.Identity;
using RenderOwl.Domain.Rendering;

namespace RenderOwl.Application.Rendering;

/// <summary>
/// Queues checked drafts, all or nothing, in the caller's transaction: the project is the caller's, the tier's
/// renders per hour allow them, their webhook URLs lead to public addresses; then one INSERT batch, the
/// project's <c>render_count</c>, a <c>submitted</c> event each, and a signal to the workers at commit.
/// </summary>
public sealed class RenderIntake(IAppDbContext db, ICurrentUser current, IProjectAccess projects, IWebhookTargets webhookTargets, IRenderSignals signals,
    IRateLimitViolations violations, IClientInfo client, IOptions<TierOptions> tiers, IOptions<RenderQueueOptions> queue, IAnalyticsRecorder analytics, TimeProvider clock,
    RenderMemo memo, RenderCompletion completion)
{
    public async Task<IReadOnlyList<RenderResponse>> QueueAsync(ProjectId projectId, IReadOnlyList<RenderDraft> drafts, Func<int, string> fieldPrefix,
        CancellationToken cancellationToken)
    {
        var owner = current.Id;
        await projects.EnsureOwnedAsync(projectId, owner, cancellationToken);
        var limits = tiers.Value.For(current.Tier);
        var now = clock.GetUtcNow();
        var watermark = current.Mode == ApiKeyMode.Test;
        // Memoization: an identical earlier render's output is reused unless the request says "cache": false.
        var memoKeys = drafts.Select(d => RenderMemo.Key(d, watermark)).ToList();
        var earlier = new RenderOutputInfo?[drafts.Count];
        for (var i = 0; i < drafts.Count; i++)
        {
            earlier[i] = drafts[i].Request.Cache == false ? null : await memo.FindAsync(owner, memoKeys[i], cancellationToken);
        }
        // Drafts and memoized renders do not count against the hourly quota.
        await EnforceQuotaAsync(owner, limits, drafts.Where((d, i) => earlier[i] is null && !d.Request.Output().IsDraft).Count(), now, cancellationToken);
        for (var i = 0; i < drafts.Count; i++)
        {
            if (drafts[i].Request.WebhookUrl is { } webhookUrl)
            {
                await webhookTargets.EnsureAllowedAsync(webhookUrl, fieldPrefix(i) + "webhook_url", cancellationToken); // 400 url-not-allowed
            }
        }
        var renders = drafts.Select((d, i) => Render.Submit(projectId, owner, d.Request.TemplateId, d.CompositionJson, d.AssetIds, d.Request.Output(),
            d.Request.Priority ?? RenderPriority.Normal, watermark, d.Request.Tags ?? [],
            d.Request.Metadata is { ValueKind: JsonValueKind.Object } m ? m.GetRawText() : "{}", d.Request.WebhookUrl,
            limits.ConcurrentRenders, queue.Value.MaxAttempts, now, TraceParent(), memoKeys[i])).ToList();
        var copies = new List<string>();
        try
        {
            // The project's render_count, in the same transaction: it can never disagree with the renders that exist.
            await projects.CountRendersAsync(projectId, owner, renders.Count, cancellationToken);
            db.Renders.AddRange(renders); // one INSERT batch, one round trip for the whole request
            db.RenderEvents.AddRange(renders.Select(r => RenderEvent.For(r, now, "submitted")));
            for (var i = 0; i < renders.Count; i++)
            {
                if (earlier[i] is { } reused)
                {
                    var (output, keys) = await memo.CopyAsync(reused, cancellationToken);
                    copies.AddRange(keys);
                    renders[i].SucceedFromCache(output, now);
                    await completion.RecordFinishedAsync(renders[i], now, "cached: the output of an identical earlier render", cancellationToken);
                }
            }
            foreach (var render in renders)
            {
                analytics.Record(owner, projectId, "render.submitted", now, new { render_id = render.Id.ToString() });
            }
            await db.SaveChangesAsync(cancellationToken);
        }
        catch
        {
            await memo.RemoveAsync(copies);
            throw;
        }
        if (renders.Any(r => r.Status == RenderStatus.Queued))
        {
            await signals.RenderQueuedAsync(cancellationToken); // delivered at commit
        }
        return renders.Select(RenderResponse.From).ToList();
    }

    /// <summary>The submitting request's W3C trace context, kept with the render so its later work joins the trace.</summary>
    private static string? TraceParent()
        => System.Diagnostics.Activity.Current is { IdFormat: System.Diagnostics.ActivityIdFormat.W3C } activity ? activity.Id : null;

    private async Task EnforceQuotaAsync(UserId owner, TierLimits limits, int count, DateTimeOffset now, CancellationToken ct)
    {
        if (limits.RendersPerHour is not { } perHour)
        {
            return;
        }
        var since = now.AddHours(-1);
        var recent = await db.Renders.Where(r => r.OwnerId == owner && r.CreatedAt > since && r.Counted).OrderBy(r => r.CreatedAt).Select(r => r.CreatedAt).ToListAsync(ct);
        if (recent.Count + count > perHour)
        {
            // The earliest moment enough submissions have left the one-hour window.
            var index = Math.Clamp(recent.Count + count - perHour - 1, 0, Math.Max(0, recent.Count - 1));
            var wait = recent.Count == 0 ? TimeSpan.FromHours(1) : recent[index].AddHours(1) - now;
            var principal = current.ApiKeyId?.ToString() ?? owner.ToString();
            violations.Record(principal, "renders-per-hour", client.Method, client.Path, client.IpAddress);
            throw new RateLimitedException($"Your tier allows {perHour} renders per hour; {recent.Count} were submitted in the last hour.",
                wait < TimeSpan.FromSeconds(1) ? TimeSpan.FromSeconds(1) : wait, ErrorCatalog.RenderQuotaExceeded);
        }
    }
}
