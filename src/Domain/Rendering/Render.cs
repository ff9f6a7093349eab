using RenderOwl.Domain.Common;

namespace RenderOwl.Domain.Rendering;

public enum RenderStatus
{
    Queued,
    Rendering,
    Succeeded,
    Failed,
    Canceled,
}

/// <summary>Higher runs first. Stored as its number so the claim query can order by it.</summary>
public enum RenderPriority
{
    Low = 0,
    Normal = 1,
    High = 2,
    Urgent = 3,
}

/// <summary>
/// A render and its state machine: queued → rendering → succeeded | failed | canceled, and a retry back to queued
/// with attempts + 1. Every transition is a method that refuses what is not allowed from the current state.
/// </summary>
public sealed partial class Render
{
    private Render()
    {
        CompositionJson = "{}";
        Tags = [];
        MetadataJson = "{}";
        AssetIds = [];
        Settings = null!;
    }

    public RenderId Id { get; private set; }
    public ProjectId ProjectId { get; private set; }
    public UserId OwnerId { get; private set; }
    public TemplateId? TemplateId { get; private set; }
    public RenderStatus Status { get; private set; }
    public RenderPriority Priority { get; private set; }
    public int Attempts { get; private set; }
    public int MaxAttempts { get; private set; }
    /// <summary>The account's concurrency cap when submitted (the claim query enforces it).</summary>
    public int ConcurrencyCap { get; private set; }
    public string CompositionJson { get; private set; }
    /// <summary>Share links carry the epoch they were made in; revoking them all moves it on.</summary>
    public int ShareEpoch { get; private set; }
    public OutputSettings Settings { get; private set; }
    public bool Watermark { get; private set; }
    public List<string> Tags { get; private set; }
    public string MetadataJson { get; private set; }
    public string? WebhookUrl { get; private set; }
    public List<Guid> AssetIds { get; private set; }
    public int Progress { get; private set; }
    public string? ErrorCode { get; private set; }
    public string? ErrorMessage { get; private set; }
    public RenderOutputInfo? Output { get; private set; }
    /// <summary>When the output's file was removed by retention; the output's figures stay, its file is gone.</summary>
    public DateTimeOffset? OutputExpiredAt { get; private set; }
    public DateTimeOffset CreatedAt { get; private set; }
    public DateTimeOffset QueuedAt { get; private set; }
    public DateTimeOffset NextAttemptAt { get; private set; }
    public DateTimeOffset? StartedAt { get; private set; }
    public DateTimeOffset? FinishedAt { get; private set; }
    public string? LeaseOwner { get; private set; }
    public DateTimeOffset? LeaseExpiresAt { get; private set; }
    public bool CancelRequested { get; private set; }
    public long? WaitMs { get; private set; }
    public long? RunMs { get; private set; }
    /// <summary>The W3C <c>traceparent</c> of the request that submitted it: the claim, the engine run and the webhook attempts join that trace.</summary>
    public string? TraceParent { get; private set; }

    /// <summary>SHA-256 of the manifest's inputs (resolved composition, output settings, asset and font hashes, watermark): an identical render has the same.</summary>
    public string? MemoKey { get; private set; }
    /// <summary>Finished at submission from an identical earlier render's output, without an engine run.</summary>
    public bool Cached { get; private set; }
    /// <summary>Counts against the tier's renders per hour: not drafts, not memoized renders.</summary>
    public bool Counted { get; private set; }

    public const int MaxTraceParentLength = 128;

    public bool IsFinished => Status.IsFinal();

    public static Render Submit(ProjectId projectId, UserId ownerId, TemplateId? templateId, string compositionJson, IEnumerable<Guid> assetIds,
        OutputSettings settings, RenderPriority priority, bool watermark, IEnumerable<string> tags, string metadataJson, string? webhookUrl,
        int concurrencyCap, int maxAttempts, DateTimeOffset now, string? traceParent = null, string? memoKey = null)
    {
        now = Clock.ToStoragePrecision(now);
        return new Render
        {
            Id = TypedId.New<RenderId>(now),
            ProjectId = projectId,
            OwnerId = ownerId,
            TemplateId = templateId,
            Status = RenderStatus.Queued,
            Priority = priority,
            MaxAttempts = Math.Max(1, maxAttempts),
            ConcurrencyCap = Math.Max(1, concurrencyCap),
            CompositionJson = compositionJson,
            Settings = settings,
            Watermark = watermark,
            Tags = [.. tags],
            MetadataJson = metadataJson,
            WebhookUrl = webhookUrl,
            AssetIds = [.. assetIds.Distinct()],
            CreatedAt = now,
            QueuedAt = now,
            NextAttemptAt = now,
            TraceParent = traceParent is { Length: <= MaxTraceParentLength } ? traceParent : null,
            MemoKey = memoKey,
            Counted = !settings.IsDraft,
        };
    }

    /// <summary>
    /// Queued → Succeeded at once with an identical earlier render's output (its files copied under keys of this render's own):
    /// no attempt, no render time, not counted against the hourly quota.
    /// </summary>
    public void SucceedFromCache(RenderOutputInfo output, DateTimeOffset now)
    {
        RequireTransition("succeed from cache");
        now = Clock.ToStoragePrecision(now);
        Status = RenderStatus.Succeeded;
        Cached = true;
        Counted = false;
        StartedAt = now;
        FinishedAt = now;
        WaitMs = 0;
        RunMs = 0;
        Output = output;
        Progress = 100;
    }

    /// <summary>
    /// Queued → Rendering, the claim of an attempt. The dispatcher claims in SQL (rendering.claim_renders, one round
    /// trip for a batch) with exactly these effects; RenderClaimTransitionTests holds the two together.
    /// </summary>
    /// <summary>Every share link made so far stops working.</summary>
    public void RevokeShareLinks() => ShareEpoch++;

    public void Start(string worker, DateTimeOffset leaseUntil, DateTimeOffset now)
    {
        RequireTransition("start");
        now = Clock.ToStoragePrecision(now);
        Status = RenderStatus.Rendering;
        Attempts++;
        StartedAt = now;
        WaitMs ??= (long)(now - QueuedAt).TotalMilliseconds;
        LeaseOwner = worker;
        LeaseExpiresAt = Clock.ToStoragePrecision(leaseUntil);
        Progress = 0;
    }

    public void Succeed(RenderOutputInfo output, DateTimeOffset now)
    {
        RequireTransition("succeed");
        Finish(RenderStatus.Succeeded, now);
        Output = output;
        Progress = 100;
        ErrorCode = null;
        ErrorMessage = null;
    }

    public void Fail(string code, string message, DateTimeOffset now)
    {
        RequireTransition("fail");
        Finish(RenderStatus.Failed, now);
        ErrorCode = code;
        ErrorMessage = message;
    }

    /// <summary>A retryable failure with attempts left: back to the queue, not before <paramref name="notBefore"/>.</summary>
    public void Retry(string code, string message, DateTimeOffset notBefore, DateTimeOffset now)
    {
        RequireTransition("retry");
        Require(Attempts < MaxAttempts, "retry after the last attempt");
        Status = RenderStatus.Queued;
        ErrorCode = code;
        ErrorMessage = message;
        NextAttemptAt = Clock.ToStoragePrecision(notBefore);
        RunMs = (RunMs ?? 0) + (long)(Clock.ToStoragePrecision(now) - (StartedAt ?? now)).TotalMilliseconds;
        LeaseOwner = null;
        LeaseExpiresAt = null;
        Progress = 0;
    }

    /// <summary>Worker shutdown: back to the queue as if this attempt never began.</summary>
    public void Release()
    {
        RequireTransition("release");
        Status = RenderStatus.Queued;
        Attempts = Math.Max(0, Attempts - 1);
        LeaseOwner = null;
        LeaseExpiresAt = null;
        Progress = 0;
    }

    /// <summary>Its worker stopped heartbeating (died): back to the queue; the lost attempt stays counted.</summary>
    public void RequeueAfterLostLease(DateTimeOffset now)
    {
        RequireTransition("requeue");
        Status = RenderStatus.Queued;
        NextAttemptAt = Clock.ToStoragePrecision(now);
        LeaseOwner = null;
        LeaseExpiresAt = null;
        Progress = 0;
    }

    /// <summary>Queued: canceled now (true). Rendering: the worker is asked to stop (false); it calls <see cref="ConfirmCanceled"/>.</summary>
    public bool RequestCancel(DateTimeOffset now)
    {
        Require(!IsFinished, "cancel"); // at once when queued ("cancel"); when rendering, the worker confirms it
        if (Status == RenderStatus.Queued)
        {
            Finish(RenderStatus.Canceled, now);
            return true;
        }
        CancelRequested = true;
        return false;
    }

    public void ConfirmCanceled(DateTimeOffset now)
    {
        RequireTransition("confirm cancellation");
        Finish(RenderStatus.Canceled, now);
    }

    private void Finish(RenderStatus status, DateTimeOffset now)
    {
        now = Clock.ToStoragePrecision(now);
        if (Status == RenderStatus.Rendering && StartedAt is { } started)
        {
            RunMs = (RunMs ?? 0) + (long)(now - started).TotalMilliseconds;
        }
        Status = status;
        FinishedAt = now;
        LeaseOwner = null;
        LeaseExpiresAt = null;
    }

    private void RequireTransition(string action) => Require(RenderTransitions.Allows(Status, action, out _), action);

    private void Require(bool allowed, string action)
    {
        if (!allowed)
        {
            throw new DomainRuleException("invalid_transition", $"A render that is {Status.ToString().ToLowerInvariant()} cannot {action}.");
        }
    }
}

/// <summary>One line of a render's history: what happened and when.</summary>
public sealed class RenderEvent
{
    private RenderEvent()
    {
        Status = string.Empty;
    }

    public long Id { get; private set; }
    public RenderId RenderId { get; private set; }
    public string Status { get; private set; }
    public int? Attempt { get; private set; }
    public string? Code { get; private set; }
    public string? Message { get; private set; }
    public DateTimeOffset OccurredAt { get; private set; }

    public static RenderEvent For(Render render, DateTimeOffset now, string? message = null) => new()
    {
        RenderId = render.Id,
        Status = render.Status.ToString().ToLowerInvariant(),
        Attempt = render.Attempts,
        Code = render.Status is RenderStatus.Failed or RenderStatus.Queued ? render.ErrorCode : null,
        Message = message,
        OccurredAt = Clock.ToStoragePrecision(now),
    };
}
