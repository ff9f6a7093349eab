namespace RenderOwl.Domain.Operations;

/// <summary>One request refused by a rate limit. Written in batches, never one insert per refusal.</summary>
public sealed class RateLimitViolation
{
    private RateLimitViolation()
    {
        Principal = string.Empty;
        Policy = string.Empty;
        Method = string.Empty;
        Path = string.Empty;
    }

    public Guid Id { get; private set; }
    /// <summary><c>usr_…</c>, <c>key_…</c>, <c>ip:…</c> or <c>login:…</c>.</summary>
    public string Principal { get; private set; }
    public string Policy { get; private set; }
    public string Method { get; private set; }
    public string Path { get; private set; }
    public string? IpAddress { get; private set; }
    public DateTimeOffset OccurredAt { get; private set; }

    public static RateLimitViolation Record(string principal, string policy, string method, string path, string? ipAddress, DateTimeOffset occurredAt)
        => new()
        {
            Id = Guid.CreateVersion7(occurredAt),
            Principal = principal,
            Policy = policy,
            Method = method,
            Path = path.Length > 300 ? path[..300] : path,
            IpAddress = ipAddress,
            OccurredAt = Common.Clock.ToStoragePrecision(occurredAt),
        };
}
