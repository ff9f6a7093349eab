using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;
using System.Net.Sockets;
using System.Text;
using System.Text.Json.Nodes;

namespace RenderOwl.Benchmarks;

/// <summary>
/// Webhook delivery latency: submits small renders with a <c>webhook_url</c> on a loopback receiver of this process and
/// times the render's final status (its <c>finished_at</c>) → the receiver's first byte. Run the server as worker and API
/// (<c>--role all</c>) with <c>Webhooks__AllowPrivateTargets=true</c> and rate limits off.
/// </summary>
public static class WebhookLatency
{
    public static async Task<int> RunAsync(string baseUrl, int count)
    {
        var arrivals = new ConcurrentDictionary<string, DateTimeOffset>();
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;
        using var stop = new CancellationTokenSource();
        var receiving = ReceiveAsync(listener, (body, first) =>
        {
            if (System.Text.RegularExpressions.Regex.Match(body, "\"(rnd_[0-9a-z]{26})\"") is { Success: true } id)
            {
                arrivals.TryAdd(id.Groups[1].Value, first);
            }
        }, stop.Token);

        using var http = new HttpClient { BaseAddress = new Uri(baseUrl) };
        var latencies = new List<double>();
        var project = "";
        for (var i = 0; i < count; i++)
        {
            if (i % 10 == 0) // a free account may submit 10 renders an hour: a new one every ten
            {
                var register = await (await http.PostAsJsonAsync("/v1/auth/register",
                    new { email = $"bench-{Guid.NewGuid():N}@example.com", password = "benchmark password", name = "Bench" })).Content.ReadFromJsonAsync<JsonNode>();
                http.DefaultRequestHeaders.Authorization = new("Bearer", register!["access_token"]!.GetValue<string>());
                project = (await (await http.PostAsJsonAsync("/v1/projects", new { name = "bench" })).Content.ReadFromJsonAsync<JsonNode>())!["id"]!.GetValue<string>();
            }
            var body = new
            {
                composition = new { duration = 1, background = "#101820", layers = Array.Empty<object>() },
                output_settings = new { format = "mp4", width = 64, height = 64, fps = 5, quality = "draft" },
                webhook_url = $"http://127.0.0.1:{port}/hook",
                cache = false, // rendered each time, not memoized
            };
            var id = (await (await http.PostAsJsonAsync($"/v1/projects/{project}/renders", body)).Content.ReadFromJsonAsync<JsonNode>())!["id"]!.GetValue<string>();
            var waited = Stopwatch.StartNew();
            while (!arrivals.ContainsKey(id) && waited.Elapsed < TimeSpan.FromSeconds(60))
            {
                await Task.Delay(5);
            }
            var render = (await http.GetFromJsonAsync<JsonNode>($"/v1/renders/{id}"))!;
            if (arrivals.TryGetValue(id, out var at) && render["finished_at"]?.GetValue<DateTimeOffset>() is { } finished)
            {
                latencies.Add((at - finished).TotalMilliseconds);
            }
        }
        await stop.CancelAsync();
        listener.Stop();
        latencies.Sort();
        double P(double p) => latencies[Math.Clamp((int)Math.Ceiling(p * latencies.Count) - 1, 0, latencies.Count - 1)];
        Console.WriteLine($"finished_at → receiver's first byte: n={latencies.Count}/{count} p50={P(0.5):0} ms p90={P(0.9):0} ms p99={P(0.99):0} ms max={latencies[^1]:0} ms");
        try
        {
            await receiving;
        }
        catch (Exception ex) when (ex is OperationCanceledException or SocketException or ObjectDisposedException)
        {
        }
        return 0;
    }

    /// <summary>A bare HTTP/1.1 receiver: notes when each request's first byte came, reads the whole request, hands both over, answers 200.</summary>
    internal static async Task ReceiveAsync(TcpListener listener, Action<string, DateTimeOffset> received, CancellationToken ct)
    {
        while (!ct.IsCancellationRequested)
        {
            var client = await listener.AcceptTcpClientAsync(ct);
            _ = Task.Run(async () =>
            {
                using (client)
                {
                    var stream = client.GetStream();
                    var buffer = new byte[64 * 1024];
                    var read = await stream.ReadAsync(buffer, ct);
                    var first = DateTimeOffset.UtcNow;
                    var text = new StringBuilder(Encoding.UTF8.GetString(buffer, 0, read));
                    while (!text.ToString().Contains("\r\n\r\n", StringComparison.Ordinal) || BodyMissing(text.ToString()))
                    {
                        var n = await stream.ReadAsync(buffer, ct);
                        if (n == 0)
                        {
                            break;
                        }
                        text.Append(Encoding.UTF8.GetString(buffer, 0, n));
                    }
                    received(text.ToString(), first);
                    await stream.WriteAsync("HTTP/1.1 200 OK\r\nContent-Length: 0\r\nConnection: close\r\n\r\n"u8.ToArray(), ct);
                }
            }, ct);
        }
    }

    private static bool BodyMissing(string request)
    {
        var headerEnd = request.IndexOf("\r\n\r\n", StringComparison.Ordinal);
        var line = request[..headerEnd].Split("\r\n").FirstOrDefault(l => l.StartsWith("Content-Length:", StringComparison.OrdinalIgnoreCase));
        return line is not null && Encoding.UTF8.GetByteCount(request[(headerEnd + 4)..]) < int.Parse(line[15..].Trim(), System.Globalization.CultureInfo.InvariantCulture);
    }
}
