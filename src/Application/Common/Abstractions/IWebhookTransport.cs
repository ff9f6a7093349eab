namespace RenderOwl.Application.Common.Abstractions;

/// <summary>What one delivery attempt got back: the status (null when no answer came), the first 2 KiB of the body, how long it took.</summary>
public sealed record WebhookAttemptResult(int? Status, string? Body, long DurationMs)
{
    public bool Delivered => Status is >= 200 and < 300;
}

/// <summary>
/// Sends one signed delivery: POST, 10 s, redirects not followed, the host resolved for this attempt and the
/// connection made to the address that was checked (private targets refused unless allowed).
/// </summary>
public interface IWebhookTransport
{
    Task<WebhookAttemptResult> PostAsync(string url, string body, IReadOnlyDictionary<string, string> headers, CancellationToken cancellationToken);
}

/// <summary>Runs delivery attempts off the request: now, or at a time (Hangfire jobs).</summary>
public interface IWebhookAttempts
{
    void Now(IEnumerable<Guid> deliveryIds);
    void At(Guid deliveryId, DateTimeOffset when);
}
