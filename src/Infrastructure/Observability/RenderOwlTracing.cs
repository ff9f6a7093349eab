using System.Diagnostics;

namespace RenderOwl.Infrastructure.Observability;

/// <summary>
/// RenderOwl's own spans (source <c>RenderOwl</c>): the dispatcher's claim, the engine run and its ffmpeg child, each
/// webhook attempt, each Hangfire job. A render's spans take the trace of the request that submitted it
/// (<c>renders.trace_parent</c>), so one trace runs from <c>POST …/renders</c> to the webhook delivery.
/// </summary>
public static class RenderOwlTracing
{
    public const string SourceName = "RenderOwl";
    public static readonly ActivitySource Source = new(SourceName);

    /// <summary>A stored W3C <c>traceparent</c> as a parent context; default (a new root) when missing or malformed.</summary>
    public static ActivityContext ParentOf(string? traceParent)
        => traceParent is not null && ActivityContext.TryParse(traceParent, null, isRemote: true, out var context) ? context : default;

    /// <summary>Marks a span failed with a short reason (never an exception's text: it could hold a secret).</summary>
    public static void Fail(Activity? activity, string reason)
    {
        activity?.SetStatus(ActivityStatusCode.Error, reason);
    }
}
