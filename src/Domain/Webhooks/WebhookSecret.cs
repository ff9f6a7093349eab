namespace RenderOwl.Domain.Webhooks;

/// <summary>
/// A signing secret as stored: encrypted (a database leak alone does not reveal it), with the previous one kept
/// for 24 h after a rotation so receivers can switch over; both sign during that overlap.
/// </summary>
public sealed class WebhookSecret
{
    public static readonly TimeSpan Overlap = TimeSpan.FromHours(24);

    private WebhookSecret()
    {
        Current = string.Empty;
    }

    /// <summary>The encrypted current secret.</summary>
    public string Current { get; private set; }
    /// <summary>The encrypted previous secret, while it still signs.</summary>
    public string? Previous { get; private set; }
    public DateTimeOffset? PreviousUntil { get; private set; }

    public static WebhookSecret Of(string encrypted) => new() { Current = encrypted };

    /// <summary>A new current secret; the one it replaces keeps signing for <see cref="Overlap"/>.</summary>
    public void Rotate(string encrypted, DateTimeOffset now)
    {
        Previous = Current;
        PreviousUntil = Common.Clock.ToStoragePrecision(now + Overlap);
        Current = encrypted;
    }

    /// <summary>The secrets that sign at <paramref name="now"/>: the current one, then the previous while its overlap lasts.</summary>
    public IReadOnlyList<string> Signing(DateTimeOffset now)
        => Previous is { } previous && PreviousUntil > now ? [Current, previous] : [Current];
}
