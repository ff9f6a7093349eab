using System.ComponentModel.DataAnnotations;

namespace RenderOwl.Infrastructure.Persistence;

public sealed class ReadReplicaOptions
{
    public const string Section = "Database:ReadReplica";
    /// <summary>Route stale-tolerant reads to <c>ConnectionStrings:Replica</c> (when it is set and differs from the primary).</summary>
    public bool Enabled { get; set; } = true;
    /// <summary>The replica is used only while its replay is at most this far behind.</summary>
    [Range(0, 86_400)]
    public double MaxLagSeconds { get; set; } = 5;
    /// <summary>After any write request, the account reads from the primary for this long (read-your-writes).</summary>
    [Range(0, 3600)]
    public double ReadYourWritesSeconds { get; set; } = 5;
    /// <summary>How often the replica's reachability and lag are checked.</summary>
    [Range(0.05, 3600)]
    public double ProbeSeconds { get; set; } = 1;
}
