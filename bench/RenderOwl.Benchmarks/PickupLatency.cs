using System.Diagnostics;
using System.Net.Http.Json;
using System.Text.Json.Nodes;

namespace RenderOwl.Benchmarks;

/// <summary>
/// Pick-up latency on an idle worker: submit one small render at a time to a running RenderOwl and time
/// 202 → first observed <c>rendering</c> (client side, polling every 2 ms) and queued_at → claimed
/// (server side, the render's <c>wait_ms</c>). Run the server with rate limits off (the polling would trip them).
/// </summary>
public static class PickupLatency
{
    public static async Task<int> RunAsync(string baseUrl, int count)
    {
        using var http = new HttpClient { BaseAddress = new Uri(baseUrl) };
        var register = await (await http.PostAsJsonAsync("/v1/auth/register",
            new { email = $"bench-{Guid.NewGuid():N}@example.com", password = "benchmark password", name = "Bench" })).Content.ReadFromJsonAsync<JsonNode>();
        http.DefaultRequestHeaders.Authorization = new("Bearer", register!["access_token"]!.GetValue<string>());
        var project = (await (await http.PostAsJsonAsync("/v1/projects", new { name = "bench" })).Content.ReadFromJsonAsync<JsonNode>())!["id"]!.GetValue<string>();
        var body = new
        {
            composition = new { duration = 1, background = "#101820", layers = Array.Empty<object>() },
            output_settings = new { format = "mp4", width = 64, height = 64, fps = 5, quality = "draft" },
            cache = false, // rendered each time, not memoized
        };
        var client = new List<double>();
        var server = new List<double>();
        for (var i = 0; i < count; i++)
        {
            var response = await http.PostAsJsonAsync($"/v1/projects/{project}/renders", body);
            var accepted = Stopwatch.GetTimestamp();
            var id = (await response.Content.ReadFromJsonAsync<JsonNode>())!["id"]!.GetValue<string>();
            JsonNode render;
            while (true)
            {
                render = (await http.GetFromJsonAsync<JsonNode>($"/v1/renders/{id}"))!;
                if (render["status"]!.GetValue<string>() != "queued")
                {
                    break;
                }
                await Task.Delay(2);
            }
            client.Add(Stopwatch.GetElapsedTime(accepted).TotalMilliseconds);
            while (render["status"]!.GetValue<string>() is "queued" or "rendering")
            {
                await Task.Delay(20);
                render = (await http.GetFromJsonAsync<JsonNode>($"/v1/renders/{id}"))!;
            }
            server.Add(render["wait_ms"]!.GetValue<long>());
        }
        Report("client: 202 → rendering observed", client);
        Report("server: queued_at → claimed (wait_ms)", server);
        return 0;
    }

    /// <summary>
    /// Memoized renders: one render of a small composition, then <paramref name="count"/> identical submissions, each timed
    /// from sending the request to holding a render that says <c>succeeded</c> (the 202 itself when memoized).
    /// </summary>
    public static async Task<int> MemoAsync(string baseUrl, int count)
    {
        using var http = new HttpClient { BaseAddress = new Uri(baseUrl) };
        var register = await (await http.PostAsJsonAsync("/v1/auth/register",
            new { email = $"bench-{Guid.NewGuid():N}@example.com", password = "benchmark password", name = "Bench" })).Content.ReadFromJsonAsync<JsonNode>();
        http.DefaultRequestHeaders.Authorization = new("Bearer", register!["access_token"]!.GetValue<string>());
        var project = (await (await http.PostAsJsonAsync("/v1/projects", new { name = "bench" })).Content.ReadFromJsonAsync<JsonNode>())!["id"]!.GetValue<string>();
        var body = new
        {
            composition = new { duration = 4, background = "#101820", layers = new object[] { new { type = "text", text = "Memoized", start = 0 } } },
            output_settings = new { format = "mp4", width = 640, height = 360, fps = 25 },
        };
        var timings = new List<double>();
        var first = Stopwatch.StartNew();
        var id = (await (await http.PostAsJsonAsync($"/v1/projects/{project}/renders", body)).Content.ReadFromJsonAsync<JsonNode>())!["id"]!.GetValue<string>();
        while ((await http.GetFromJsonAsync<JsonNode>($"/v1/renders/{id}"))!["status"]!.GetValue<string>() is "queued" or "rendering")
        {
            await Task.Delay(10);
        }
        Console.WriteLine($"first render (rendered): {first.Elapsed.TotalMilliseconds:0} ms to succeeded");
        var cached = 0;
        for (var i = 0; i < count; i++)
        {
            var start = Stopwatch.GetTimestamp();
            var render = (await (await http.PostAsJsonAsync($"/v1/projects/{project}/renders", body)).Content.ReadFromJsonAsync<JsonNode>())!;
            while (render["status"]!.GetValue<string>() is "queued" or "rendering")
            {
                await Task.Delay(2);
                render = (await http.GetFromJsonAsync<JsonNode>($"/v1/renders/{render["id"]!.GetValue<string>()}"))!;
            }
            timings.Add(Stopwatch.GetElapsedTime(start).TotalMilliseconds);
            cached += render["cached"]!.GetValue<bool>() ? 1 : 0;
        }
        Console.WriteLine($"memoized: {cached} of {count} cached");
        Report("submission → succeeded", timings);
        return 0;
    }

    private static void Report(string what, List<double> values)
    {
        values.Sort();
        double P(double p) => values[Math.Clamp((int)Math.Ceiling(p * values.Count) - 1, 0, values.Count - 1)];
        Console.WriteLine($"{what}: n={values.Count} p50={P(0.5):0.0} ms p90={P(0.9):0.0} ms p99={P(0.99):0.0} ms max={values[^1]:0.0} ms");
    }
}
