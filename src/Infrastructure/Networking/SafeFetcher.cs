using System.Net;
using System.Net.Sockets;
using Microsoft.Extensions.Options;
using RenderOwl.Application.Common.Abstractions;
using RenderOwl.Application.Common.Errors;

namespace RenderOwl.Infrastructure.Networking;

/// <summary>Name resolution, injectable so tests need no DNS.</summary>
public interface IHostResolver
{
    Task<IPAddress[]> ResolveAsync(string host, CancellationToken cancellationToken);
}

public sealed class DnsHostResolver : IHostResolver
{
    public Task<IPAddress[]> ResolveAsync(string host, CancellationToken cancellationToken) => Dns.GetHostAddressesAsync(host, cancellationToken);
}

/// <summary>
/// SSRF guard: http/https only; the host is resolved once and every address must be public (no loopback,
/// private, link-local incl. 169.254.169.254, CGNAT, multicast, unspecified, documentation, or their IPv6
/// forms incl. IPv4-mapped); the connection goes to the address that was checked (no second lookup, so DNS
/// rebinding fails); each redirect is checked the same way (at most 3); time and size are bounded.
/// </summary>
public sealed class SafeFetcher(IHostResolver resolver, IOptions<FetchOptions> options) : ISafeFetcher
{
    private readonly FetchOptions _options = options.Value;

    public async Task<StoredObject> FetchToStorageAsync(Uri url, string key, long maxBytes, IObjectStorage storage, CancellationToken cancellationToken)
        => (await FetchAsync(url, key, maxBytes, storage, null, cancellationToken)).Stored!;

    // Over 60 lines on purpose: the redirect loop keeps every hop's address check, timeout and size limit in one place.
    public async Task<FetchResult> FetchAsync(Uri url, string key, long maxBytes, IObjectStorage storage, CacheValidators? validators, CancellationToken cancellationToken)
    {
        using var total = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        total.CancelAfter(TimeSpan.FromSeconds(_options.TotalTimeoutSeconds));
        var current = url;
        for (var hop = 0; ; hop++)
        {
            var address = await CheckAsync(current, total.Token);
            using var handler = PinnedConnections.Handler(address, TimeSpan.FromSeconds(_options.HeadersTimeoutSeconds));
            using var client = new HttpClient(handler) { Timeout = Timeout.InfiniteTimeSpan };
            using var request = new HttpRequestMessage(HttpMethod.Get, current);
            request.Headers.UserAgent.ParseAdd("RenderOwl-Fetcher/1.0");
            if (validators?.ETag is { } etag && System.Net.Http.Headers.EntityTagHeaderValue.TryParse(etag, out var tag))
            {
                request.Headers.IfNoneMatch.Add(tag);
            }
            else if (validators?.LastModified is { } since)
            {
                request.Headers.IfModifiedSince = since;
            }
            HttpResponseMessage response;
            using (var headers = CancellationTokenSource.CreateLinkedTokenSource(total.Token))
            {
                headers.CancelAfter(TimeSpan.FromSeconds(_options.HeadersTimeoutSeconds));
                try
                {
                    response = await client.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, headers.Token);
                }
                catch (Exception ex) when (ex is HttpRequestException or OperationCanceledException && !cancellationToken.IsCancellationRequested)
                {
                    throw new UnprocessableException(ErrorCatalog.FetchFailed, $"{current.Host} did not answer in time.");
                }
            }
            using (response)
            {
                if ((int)response.StatusCode is >= 300 and < 400 && response.Headers.Location is { } location)
                {
                    if (hop >= _options.MaxRedirects)
                    {
                        throw new UnprocessableException(ErrorCatalog.FetchFailed, $"More than {_options.MaxRedirects} redirects.");
                    }
                    current = location.IsAbsoluteUri ? location : new Uri(current, location);
                    continue;
                }
                if (response.StatusCode == HttpStatusCode.NotModified && validators is not null)
                {
                    return new FetchResult(null, NotModified: true, validators);
                }
                if (!response.IsSuccessStatusCode)
                {
                    throw new UnprocessableException(ErrorCatalog.FetchFailed, $"{current.Host} answered {(int)response.StatusCode}.");
                }
                if (response.Content.Headers.ContentLength is { } length && length > maxBytes)
                {
                    throw new ObjectTooLargeException(maxBytes);
                }
                await using var body = await response.Content.ReadAsStreamAsync(total.Token);
                try
                {
                    var stored = await storage.WriteAsync(key, body, maxBytes, total.Token);
                    return new FetchResult(stored, NotModified: false, new CacheValidators(response.Headers.ETag?.ToString(), response.Content.Headers.LastModified));
                }
                catch (Exception ex) when (ex is IOException or HttpRequestException or OperationCanceledException && !cancellationToken.IsCancellationRequested)
                {
                    throw new UnprocessableException(ErrorCatalog.FetchFailed, $"The download from {current.Host} broke off or took too long.");
                }
            }
        }
    }

    private async Task<IPAddress> CheckAsync(Uri url, CancellationToken cancellationToken)
    {
        var addresses = await ResolveAsync(url, resolver, cancellationToken)
            ?? throw new UnprocessableException(ErrorCatalog.FetchFailed, $"The name {url.IdnHost} does not resolve.");
        EnsureAllowed(url, addresses, _options.AllowPrivateTargets, _options.AllowedEndpoints);
        return addresses[0];
    }

    /// <summary>Http(s) without credentials, then the host's addresses (a literal as it is); null when the name does not resolve.</summary>
    public static async Task<IPAddress[]?> ResolveAsync(Uri url, IHostResolver resolver, CancellationToken cancellationToken)
    {
        if (!url.IsAbsoluteUri || (url.Scheme != Uri.UriSchemeHttp && url.Scheme != Uri.UriSchemeHttps))
        {
            throw NotAllowed("Only http and https URLs are accepted.");
        }
        if (!string.IsNullOrEmpty(url.UserInfo))
        {
            throw NotAllowed("URLs with credentials are not accepted.");
        }
        var host = url.IdnHost.Trim('[', ']');
        if (IPAddress.TryParse(host, out var literal))
        {
            return [literal];
        }
        if (host.Equals("localhost", StringComparison.OrdinalIgnoreCase) || host.EndsWith(".localhost", StringComparison.OrdinalIgnoreCase))
        {
            return [IPAddress.Loopback]; // RFC 6761: always loopback, whatever a resolver says
        }
        try
        {
            var addresses = await resolver.ResolveAsync(host, cancellationToken);
            return addresses.Length == 0 ? null : addresses;
        }
        catch (SocketException)
        {
            return null;
        }
    }

    /// <summary>Every address must be allowed: a connection uses the first, and a mixed answer is a rebinding trick.</summary>
    public static void EnsureAllowed(Uri url, IEnumerable<IPAddress> addresses, bool allowPrivate, IReadOnlyCollection<string> allowedEndpoints)
    {
        foreach (var address in addresses)
        {
            if (!allowPrivate && !IsPublic(address) && !allowedEndpoints.Contains($"{Normalize(address)}:{url.Port}"))
            {
                throw NotAllowed($"{url.Host} leads to a non-public address.");
            }
        }
    }

    private static BadRequestException NotAllowed(string detail) => new(ErrorCatalog.UrlNotAllowed, detail);

    private static string Normalize(IPAddress a) => a.IsIPv4MappedToIPv6 ? a.MapToIPv4().ToString() : a.ToString();

    public static bool IsPublic(IPAddress address)
    {
        if (address.IsIPv4MappedToIPv6)
        {
            return IsPublic(address.MapToIPv4());
        }
        var b = address.GetAddressBytes();
        if (address.AddressFamily == AddressFamily.InterNetwork)
        {
            return !(b[0] == 0                                   // 0.0.0.0/8 "this network"
                || b[0] == 10                                    // 10/8
                || (b[0] == 100 && b[1] is >= 64 and <= 127)      // 100.64/10 CGNAT
                || b[0] == 127                                   // loopback
                || (b[0] == 169 && b[1] == 254)                  // link-local, cloud metadata
                || (b[0] == 172 && b[1] is >= 16 and <= 31)       // 172.16/12
                || (b[0] == 192 && b[1] == 0 && b[2] is 0 or 2)   // 192.0.0/24 IETF, 192.0.2/24 TEST-NET-1
                || (b[0] == 192 && b[1] == 168)                  // 192.168/16
                || (b[0] == 198 && b[1] is 18 or 19)              // benchmarking
                || (b[0] == 198 && b[1] == 51 && b[2] == 100)     // TEST-NET-2
                || (b[0] == 203 && b[1] == 0 && b[2] == 113)      // TEST-NET-3
                || b[0] >= 224);                                 // multicast, reserved, broadcast
        }
        if (address.AddressFamily == AddressFamily.InterNetworkV6)
        {
            if (address.Equals(IPAddress.IPv6Any) || address.Equals(IPAddress.IPv6Loopback) || address.IsIPv6LinkLocal || address.IsIPv6SiteLocal
                || address.IsIPv6Multicast)
            {
                return false;
            }
            return !((b[0] & 0xFE) == 0xFC                                        // fc00::/7 unique local
                || (b[0] == 0xFE && (b[1] & 0xC0) == 0x80)                         // fe80::/10
                || (b[0] == 0x20 && b[1] == 0x01 && b[2] == 0x0D && b[3] == 0xB8)  // 2001:db8::/32 documentation
                || (b[0] == 0x00 && b[1] == 0x64 && b[2] == 0xFF && b[3] == 0x9B)  // 64:ff9b::/96 NAT64 (embeds IPv4)
                || (b[0] == 0x20 && b[1] == 0x02)                                  // 2002::/16 6to4 (embeds IPv4)
                || b.Take(12).All(x => x == 0));                                   // ::/96 IPv4-compatible, ::, ::1
        }
        return false;
    }
}
