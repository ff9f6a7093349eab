namespace RenderOwl.Domain.Rendering;

/// <summary>
/// The one table of a render's status changes and the operation that makes each. <see cref="Render"/>'s methods
/// check against it; the claim (<c>rendering.claim_renders</c>, one SQL round trip for a batch) performs
/// <c>start</c> itself, and an integration test (RenderClaimTransitionTests) fails when the two disagree.
/// </summary>
public static class RenderTransitions
{
    public static readonly IReadOnlyList<(RenderStatus From, RenderStatus To, string Action)> Allowed =
    [
        (RenderStatus.Queued, RenderStatus.Rendering, "start"),
        (RenderStatus.Queued, RenderStatus.Canceled, "cancel"),
        (RenderStatus.Queued, RenderStatus.Failed, "fail"),
        (RenderStatus.Queued, RenderStatus.Succeeded, "succeed from cache"),
        (RenderStatus.Rendering, RenderStatus.Succeeded, "succeed"),
        (RenderStatus.Rendering, RenderStatus.Failed, "fail"),
        (RenderStatus.Rendering, RenderStatus.Canceled, "confirm cancellation"),
        (RenderStatus.Rendering, RenderStatus.Queued, "retry"),
        (RenderStatus.Rendering, RenderStatus.Queued, "release"),
        (RenderStatus.Rendering, RenderStatus.Queued, "requeue"),
    ];

    /// <summary>Whether <paramref name="action"/> may be taken from <paramref name="from"/>, and the status it leads to.</summary>
    public static bool Allows(RenderStatus from, string action, out RenderStatus to)
    {
        foreach (var t in Allowed)
        {
            if (t.From == from && t.Action == action)
            {
                to = t.To;
                return true;
            }
        }
        to = from;
        return false;
    }

    /// <summary>Succeeded, failed, canceled: nothing leads out of it.</summary>
    public static bool IsFinal(this RenderStatus status) => Allowed.All(t => t.From != status);
}
