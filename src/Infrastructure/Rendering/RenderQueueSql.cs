using RenderOwl.Domain.Rendering;

namespace RenderOwl.Infrastructure.Rendering;

/// <summary>
/// The render queue's SQL outside EF queries, in one place: the claim, the heartbeat, the notification channels
/// and the queue's figures. Statuses are stored as the enum's names (RenderConfiguration), spelled here from it.
/// </summary>
internal static class RenderQueueSql
{
    public const string Queued = nameof(RenderStatus.Queued);
    public const string Rendering = nameof(RenderStatus.Rendering);

    /// <summary>
    /// Claims up to <paramref name="max"/> renders for <paramref name="worker"/> in one round trip (ADR 7; the
    /// function is in the DispatcherClaimFunction migration). Its Queued → Rendering change is
    /// <see cref="Render.Start"/>'s (RenderClaimTransitionTests). xmin is a system column, not part of the
    /// function's row type: the claimed rows are only read, never saved.
    /// </summary>
    public static FormattableString Claim(string worker, double leaseSeconds, int max)
        => $"SELECT c.*, '0'::xid AS xmin FROM rendering.claim_renders({worker}, {leaseSeconds}, {max}) c";

    /// <summary>
    /// $1 id, $2 worker, $3 progress, $4 lease seconds, $5 attempt. Renews the lease of this worker's attempt and
    /// writes its progress; no row when the render is no longer this attempt's, else whether a cancel was asked.
    /// </summary>
    public const string Heartbeat = $"""
        UPDATE rendering.renders SET progress = $3, lease_expires_at = now() + make_interval(secs => $4)
        WHERE id = $1 AND lease_owner = $2 AND status = '{Rendering}' AND attempts = $5
        RETURNING cancel_requested
        """;

    /// <summary>A split render's row locked until the transaction ends: its segments' ends are recorded one at a time.</summary>
    public static FormattableString LockRender(Guid renderId) => $"SELECT 1 FROM rendering.renders WHERE id = {renderId} FOR UPDATE";

    public const string Listen = $"LISTEN {RenderChannels.Queued}; LISTEN {RenderChannels.Cancel};";

    public static FormattableString NotifyQueued() => $"SELECT pg_notify({RenderChannels.Queued}, '')";

    public static FormattableString NotifyCancel(Guid renderId) => $"SELECT pg_notify({RenderChannels.Cancel}, {renderId.ToString()})";

    /// <summary>Queued and running renders by status and priority, and how long the oldest of each group has waited since it was queued (seconds).</summary>
    public const string QueueCounts = $"""
        SELECT status, priority, count(*), extract(epoch FROM now() - min(queued_at))::float8
        FROM rendering.renders WHERE status IN ('{Queued}', '{Rendering}') GROUP BY status, priority
        """;

    /// <summary>Webhook endpoints disabled for failing (an owner's own switch-off clears <c>failing_since</c>).</summary>
    public const string DisabledEndpoints = "SELECT count(*) FROM webhooks.endpoints WHERE NOT enabled AND failing_since IS NOT NULL";
}
