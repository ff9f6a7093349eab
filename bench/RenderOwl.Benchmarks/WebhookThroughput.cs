using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;
using System.Net.Sockets;
using System.Text.Json.Nodes;
using Npgsql;

namespace RenderOwl.Benchmarks;

/// <summary>
/// Webhook throughput: <c>n</c> events put in the outbox at once (as if <c>n</c> renders had just finished) for a project
/// endpoint on a loopback receiver of this process; times the first and the last arrival. Run the server with
/// <c>--role all</c>, <c>Webhooks__AllowPrivateTargets=true</c> and rate limits off; the connection string is its primary.
/// </summary>
public static class WebhookThroughput
{
    public static async Task<int> RunAsync(string baseUrl, string primary, int count)
    {
        var arrivals = new ConcurrentBag<DateTimeOffset>();
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;
        using var stop = new CancellationTokenSource();
        _ = WebhookLatency.ReceiveAsync(listener, (_, first) => arrivals.Add(first), stop.Token);

        using var http = new HttpClient { BaseAddress = new Uri(baseUrl) };
        var register = await (await http.PostAsJsonAsync("/v1/auth/register",
            new { email = $"bench-{Guid.NewGuid():N}@example.com", password = "benchmark password", name = "Bench" })).Content.ReadFromJsonAsync<JsonNode>();
        http.DefaultRequestHeaders.Authorization = new("Bearer", register!["access_token"]!.GetValue<string>());
        var project = (await (await http.PostAsJsonAsync("/v1/projects", new { name = "bench" })).Content.ReadFromJsonAsync<JsonNode>())!["id"]!.GetValue<string>();
        await http.PostAsJsonAsync($"/v1/projects/{project}/webhooks", new { url = $"http://127.0.0.1:{port}/hook" });
        Domain.Common.TypedId.TryParse<Domain.Common.ProjectId>(project, out var projectId);
        Domain.Common.TypedId.TryParse<Domain.Common.UserId>(register["user"]!["id"]!.GetValue<string>(), out var owner);

        await using (var db = new NpgsqlConnection(primary))
        {
            await db.OpenAsync();
            await using var insert = new NpgsqlCommand("""
                INSERT INTO webhooks.outbox (id, owner_id, project_id, type, target_url, payload, created_at)
                SELECT gen_random_uuid(), $1, $2, 'render.succeeded', NULL, jsonb_build_object('render', jsonb_build_object('id', 'rnd_bench' || g, 'status', 'succeeded')), now()
                FROM generate_series(1, $3) g
                """, db);
            insert.Parameters.AddWithValue(owner.Value);
            insert.Parameters.AddWithValue(projectId.Value);
            insert.Parameters.AddWithValue(count);
            await insert.ExecuteNonQueryAsync();
        }
        var started = DateTimeOffset.UtcNow;
        var clock = Stopwatch.StartNew();
        while (arrivals.Count < count && clock.Elapsed < TimeSpan.FromMinutes(10))
        {
            await Task.Delay(50);
        }
        var times = arrivals.Select(t => (t - started).TotalSeconds).Order().ToList();
        await stop.CancelAsync();
        Console.WriteLine($"{times.Count}/{count} delivered; first after {times[0]:0.00} s, last after {times[^1]:0.00} s: {times.Count / times[^1]:0} deliveries/s");
        return 0;
    }
}
