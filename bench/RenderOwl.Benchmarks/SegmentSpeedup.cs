using System.Diagnostics;
using System.Net.Http.Json;
using System.Text.Json.Nodes;

namespace RenderOwl.Benchmarks;

/// <summary>
/// <c>segments &lt;url&gt; [runs]</c>: a 120 s 1280×720 render (titles sliding in every 5 s, a moving ellipse, colour
/// panels; nothing to upload) submitted to a running RenderOwl and timed from submission to <c>succeeded</c>, one at a
/// time. bench/segments.sh runs it against one worker process and against two (same configuration) and prints the ratio.
/// </summary>
public static class SegmentSpeedup
{
    public static async Task<int> RunAsync(string baseUrl, int runs)
    {
        using var http = new HttpClient { BaseAddress = new Uri(baseUrl) };
        var register = await (await http.PostAsJsonAsync("/v1/auth/register",
            new { email = $"bench-{Guid.NewGuid():N}@example.com", password = "benchmark password", name = "Bench" })).Content.ReadFromJsonAsync<JsonNode>();
        http.DefaultRequestHeaders.Authorization = new("Bearer", register!["access_token"]!.GetValue<string>());
        var project = (await (await http.PostAsJsonAsync("/v1/projects", new { name = "bench" })).Content.ReadFromJsonAsync<JsonNode>())!["id"]!.GetValue<string>();
        var layers = new List<object>();
        for (var i = 0; i < 24; i++)
        {
            layers.Add(new { type = "color", color = i % 2 == 0 ? "#1e3a5f" : "#5f1e3a", start = i * 5, duration = 5.5, transition = new { @in = new { type = "fade", duration = 0.5 } } });
            layers.Add(new
            {
                type = "text", text = $"Chapter {i + 1}: a title that slides in", start = i * 5 + 0.3, duration = 4.5,
                size = new { width = "80%", height = 160 }, position = new { x = "50%", y = "40%" }, anchor = "center",
                style = new { font_size = "auto", color = "#ffffff", align = "center", shadow = new { color = "#00000080", x = 3, y = 3 } },
                transition = new { @in = new { type = "slide_left", duration = 0.6 }, @out = new { type = "fade", duration = 0.4 } },
            });
        }
        layers.Add(new
        {
            type = "shape", shape = "ellipse", color = "#ffcc0080", start = 0, size = new { width = 160, height = 160 },
            keyframes = new { x = Enumerable.Range(0, 13).Select(k => (object)new { time = k * 10, value = k % 2 == 0 ? 80 : 1120 }).ToArray() },
        });
        var body = new
        {
            composition = new { duration = 120, background = "#101820", layers },
            output_settings = new { format = "mp4", width = 1280, height = 720, fps = 30 },
            cache = false,
        };
        for (var r = 0; r < runs; r++)
        {
            var clock = Stopwatch.StartNew();
            var response = await http.PostAsJsonAsync($"/v1/projects/{project}/renders", body);
            var id = (await response.Content.ReadFromJsonAsync<JsonNode>())!["id"]?.GetValue<string>()
                ?? throw new InvalidOperationException(await response.Content.ReadAsStringAsync());
            JsonNode render;
            while ((render = (await http.GetFromJsonAsync<JsonNode>($"/v1/renders/{id}"))!)["status"]!.GetValue<string>() is "queued" or "rendering")
            {
                await Task.Delay(200);
            }
            var events = (await http.GetFromJsonAsync<JsonNode>($"/v1/renders/{id}/events"))!.AsArray()
                .Select(e => e!["message"]?.GetValue<string>()).FirstOrDefault(m => m?.StartsWith("split", StringComparison.Ordinal) == true) ?? "not split";
            Console.WriteLine($"run {r + 1}: {render["status"]} in {clock.Elapsed.TotalSeconds:0.00} s ({events}); output {render["output"]?["duration_seconds"]} s, {render["output"]?["size_bytes"]} bytes");
        }
        return 0;
    }
}
