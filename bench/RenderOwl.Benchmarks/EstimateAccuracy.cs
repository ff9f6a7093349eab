using System.Globalization;
using System.Net.Http.Json;
using System.Text.Json.Nodes;

namespace RenderOwl.Benchmarks;

/// <summary>
/// <c>estimate &lt;url&gt; [n]</c>: how far the dry run's estimate is from what the render then took. Renders of varied
/// duration, size, frame rate, layer count and format are each estimated (<c>POST …/renders/validate</c>) and then rendered
/// one at a time on an idle server; the estimate's model is fitted on the renders finished before it, so the first ten use
/// its built-in defaults. Prints each pair and the median and 90th-percentile absolute error of time and size.
/// </summary>
public static class EstimateAccuracy
{
    public static async Task<int> RunAsync(string baseUrl, int count)
    {
        using var http = new HttpClient { BaseAddress = new Uri(baseUrl) };
        var register = await (await http.PostAsJsonAsync("/v1/auth/register",
            new { email = $"bench-{Guid.NewGuid():N}@example.com", password = "benchmark password", name = "Bench" })).Content.ReadFromJsonAsync<JsonNode>();
        http.DefaultRequestHeaders.Authorization = new("Bearer", register!["access_token"]!.GetValue<string>());
        var project = (await (await http.PostAsJsonAsync("/v1/projects", new { name = "bench" })).Content.ReadFromJsonAsync<JsonNode>())!["id"]!.GetValue<string>();
        var random = new Random(18);
        (int W, int H)[] sizes = [(320, 180), (640, 360), (854, 480), (1280, 720)];
        int[] rates = [10, 15, 24, 30];
        string[] formats = ["mp4", "mp4", "webm"];
        var timeErrors = new List<double>();
        var sizeErrors = new List<double>();
        Console.WriteLine("n, seconds, size, fps, layers, format, estimated s, actual s, estimated KiB, actual KiB");
        for (var i = 0; i < count; i++)
        {
            var (w, h) = sizes[random.Next(sizes.Length)];
            var seconds = 2 + random.Next(9);
            var layerCount = 1 + random.Next(6);
            var layers = Enumerable.Range(0, layerCount).Select(l => (object)(l % 3 == 0
                ? new { type = "text", text = $"Line {l} of a render", start = l * 0.3, style = new { font_size = 24 + (l * 6) }, transition = new { @in = new { type = "fade" } } }
                : l % 3 == 1
                    ? new { type = "color", color = $"#{random.Next(0x1000000):x6}", start = 0, size = new { width = "40%", height = "40%" }, position = new { x = $"{10 * l}%", y = "30%" }, keyframes = new { x = new object[] { new { time = 0, value = 0 }, new { time = seconds - 0.5, value = w / 2 } } } }
                    : new { type = "shape", shape = "ellipse", color = "#ffffff80", start = 0.5, size = new { width = 120, height = 120 }, position = new { x = "50%", y = "50%" }, anchor = "center" })).ToArray();
            var body = new
            {
                composition = new { duration = seconds, background = "#101820", layers },
                output_settings = new { format = formats[random.Next(formats.Length)], width = w, height = h, fps = rates[random.Next(rates.Length)] },
                cache = false,
            };
            var check = await (await http.PostAsJsonAsync($"/v1/projects/{project}/renders/validate", body)).Content.ReadFromJsonAsync<JsonNode>();
            var estimate = check!["estimate"]!;
            var id = (await (await http.PostAsJsonAsync($"/v1/projects/{project}/renders", body)).Content.ReadFromJsonAsync<JsonNode>())!["id"]!.GetValue<string>();
            JsonNode render;
            while ((render = (await http.GetFromJsonAsync<JsonNode>($"/v1/renders/{id}"))!)["status"]!.GetValue<string>() is "queued" or "rendering")
            {
                await Task.Delay(50);
            }
            var estimatedSeconds = estimate["render_seconds"]!.GetValue<double>();
            var actualSeconds = render["run_ms"]!.GetValue<long>() / 1000.0;
            var estimatedBytes = estimate["output_bytes"]!.GetValue<double>();
            var actualBytes = render["output"]!["size_bytes"]!.GetValue<double>();
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"{i + 1}, {seconds}, {w}x{h}, {body.output_settings.fps}, {layerCount}, {body.output_settings.format}, {estimatedSeconds:0.00}, {actualSeconds:0.00}, {estimatedBytes / 1024:0}, {actualBytes / 1024:0}"));
            if (i >= 10)
            {
                timeErrors.Add(Math.Abs(estimatedSeconds - actualSeconds) / actualSeconds);
                sizeErrors.Add(Math.Abs(estimatedBytes - actualBytes) / actualBytes);
            }
        }
        Report("render time", timeErrors);
        Report("output size", sizeErrors);
        return 0;
    }

    private static void Report(string what, List<double> errors)
    {
        if (errors.Count == 0)
        {
            return;
        }
        errors.Sort();
        double P(double p) => errors[Math.Clamp((int)Math.Ceiling(p * errors.Count) - 1, 0, errors.Count - 1)];
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"{what}: renders 11–{errors.Count + 10}, absolute error median {P(0.5) * 100:0} %, p90 {P(0.9) * 100:0} %, max {errors[^1] * 100:0} %"));
    }
}
