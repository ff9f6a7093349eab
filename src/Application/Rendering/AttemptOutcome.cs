using RenderOwl.Domain.Common;

namespace RenderOwl.Application.Rendering;

/// <summary>What the dispatcher reports when an attempt ends.</summary>
public abstract record AttemptOutcome
{
    public sealed record Succeeded(RenderOutput Output) : AttemptOutcome;
    public sealed record Failed(string Code, string Message, bool Retryable) : AttemptOutcome;
    public sealed record Canceled : AttemptOutcome;
    /// <summary>Shutdown: back to the queue, the attempt not counted.</summary>
    public sealed record Released : AttemptOutcome;
    /// <summary>Long enough to be rendered in segments: the render waits for them, which are queued like any render.</summary>
    public sealed record Split(IReadOnlyList<Domain.Rendering.TimeRange> Segments) : AttemptOutcome;
}

/// <summary>One ended attempt, as the dispatcher reports it.</summary>
public sealed record FinishedAttempt(RenderId Id, AttemptOutcome Outcome);
