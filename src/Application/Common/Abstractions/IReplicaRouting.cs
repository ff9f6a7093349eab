namespace RenderOwl.Application.Common.Abstractions;

/// <summary>
/// Whether stale-tolerant reads may go to the streaming replica (docs/adr/0008): it is configured, reachable and
/// caught up, and the account has not written within the read-your-writes window (remembered for every instance).
/// </summary>
public interface IReplicaRouting
{
    bool Configured { get; }
    bool ReplicaUsable { get; }
    /// <summary>True when it cannot be told (Redis away): then the primary serves.</summary>
    Task<bool> WroteRecentlyAsync(string account);
    Task NoteWriteAsync(string account);
    /// <summary>A replica read failed at the connection level: stop using it until the next good probe.</summary>
    void ReportFailure(Exception exception);
}

/// <summary>Per request: where this request's stale-tolerant reads go (<see cref="IReadDbContext"/>); the primary unless set.</summary>
public interface IReadTarget
{
    bool UseReplica { get; set; }
}
