using System.Diagnostics;
using System.Text;
using Microsoft.Extensions.Options;
using RenderOwl.Application.Common.Abstractions;
using RenderOwl.Application.Common.Errors;

namespace RenderOwl.Infrastructure.Networking;

/// <summary>
/// One webhook POST: the host resolved for this attempt and checked like any webhook URL (private targets refused
/// unless <c>Webhooks:AllowPrivateTargets</c>), the connection made to that address, 10 s in all, redirects not
/// followed, the first 2 KiB of the answer kept. Never throws for what the receiver does: that is the result.
/// </summary>
public sealed class WebhookTransport(IHostResolver resolver, IOptions<WebhookOptions> options) : IWebhookTransport
{
    public static readonly TimeSpan Timeout = TimeSpan.FromSeconds(10);
    public const string UserAgent = "RenderOwl-Webhooks/1";

    public async Task<WebhookAttemptResult> PostAsync(string url, string body, IReadOnlyDictionary<string, string> headers, CancellationToken cancellationToken)
    {
        var started = Stopwatch.GetTimestamp();
        long Elapsed() => (long)Stopwatch.GetElapsedTime(started).TotalMilliseconds;
        using var limit = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        limit.CancelAfter(Timeout);
        try
        {
            var uri = new Uri(url, UriKind.Absolute);
            var addresses = await SafeFetcher.ResolveAsync(uri, resolver, limit.Token);
            if (addresses is null)
            {
                return new WebhookAttemptResult(null, $"The name {uri.IdnHost} does not resolve.", Elapsed());
            }
            SafeFetcher.EnsureAllowed(uri, addresses, options.Value.AllowPrivateTargets, []);
            using var handler = PinnedConnections.Handler(addresses[0], Timeout);
            using var client = new HttpClient(handler) { Timeout = System.Threading.Timeout.InfiniteTimeSpan };
            using var request = new HttpRequestMessage(HttpMethod.Post, uri) { Content = new StringContent(body, Encoding.UTF8, "application/json") };
            foreach (var (name, value) in headers)
            {
                request.Headers.TryAddWithoutValidation(name, value);
            }
            request.Headers.TryAddWithoutValidation("User-Agent", UserAgent);
            using var response = await client.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, limit.Token);
            return new WebhookAttemptResult((int)response.StatusCode, await ReadStartAsync(response, limit.Token), Elapsed());
        }
        catch (BadRequestException ex)
        {
            return new WebhookAttemptResult(null, ex.Message, Elapsed()); // refused target: an attempt that failed, as the log shows
        }
        catch (UriFormatException)
        {
            return new WebhookAttemptResult(null, "The URL is not absolute.", Elapsed());
        }
        catch (Exception ex) when (ex is HttpRequestException or IOException || (ex is OperationCanceledException && !cancellationToken.IsCancellationRequested))
        {
            return new WebhookAttemptResult(null, ex is OperationCanceledException ? $"No answer within {Timeout.TotalSeconds:0} s." : ex.Message, Elapsed());
        }
    }

    /// <summary>At most the first 2 KiB of the body (never the rest: a receiver could answer with gigabytes).</summary>
    private static async Task<string> ReadStartAsync(HttpResponseMessage response, CancellationToken cancellationToken)
    {
        await using var stream = await response.Content.ReadAsStreamAsync(cancellationToken);
        var buffer = new byte[Domain.Webhooks.WebhookDelivery.ResponseBodyMax];
        var read = 0;
        int n;
        while (read < buffer.Length && (n = await stream.ReadAsync(buffer.AsMemory(read), cancellationToken)) > 0)
        {
            read += n;
        }
        return Encoding.UTF8.GetString(buffer, 0, read);
    }
}
