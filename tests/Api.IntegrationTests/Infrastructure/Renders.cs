using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;

namespace RenderOwl.Api.IntegrationTests.Infrastructure;

/// <summary>Render helpers: small, fast compositions and waiting for a state.</summary>
public static class Renders
{
    public static readonly Dictionary<string, string?> Worker = new()
    {
        ["RenderOwl:Role"] = "all",
        ["Rendering:Dispatcher:Slots"] = "2",
        ["Rendering:Dispatcher:PollSeconds"] = "0.5",
        ["Rendering:Dispatcher:ShutdownGraceSeconds"] = "1",
        ["Hangfire:WorkerCount"] = "1",
    };

    public static Dictionary<string, string?> WorkerWith(params (string Key, string? Value)[] settings)
    {
        var all = new Dictionary<string, string?>(Worker);
        foreach (var (key, value) in settings)
        {
            all[key] = value;
        }
        return all;
    }

    public static object Small(double duration = 1, string priority = "normal", string format = "mp4", int width = 64, int height = 64, int fps = 5) => new
    {
        composition = new
        {
            duration,
            background = "#101820",
            layers = new object[] { new { type = "color", color = "#1e90ff", start = 0, duration = duration / 2 }, new { type = "text", text = "Hi", start = 0 } },
        },
        output_settings = new { format, width, height, fps, quality = "standard" },
        priority,
        cache = false, // every test render is rendered: an identical earlier one would otherwise finish it at once (MemoizationTests)
    };

    public static async Task<JsonNode> SubmitAsync(this HttpClient client, string project, object body)
    {
        var response = await client.PostAsJsonAsync($"/v1/projects/{project}/renders", body);
        Assert.True(response.StatusCode == HttpStatusCode.Accepted, await response.Content.ReadAsStringAsync());
        return await response.ReadJsonAsync();
    }

    public static async Task<JsonNode> WaitForAsync(this HttpClient client, string renderId, Func<JsonNode, bool> until, TimeSpan? timeout = null)
        => await Eventually.UntilAsync(async () => await (await client.GetAsync($"/v1/renders/{renderId}")).ReadJsonAsync(), until,
            timeout ?? TimeSpan.FromSeconds(60), $"render {renderId} reached the state");

    public static string Status(this JsonNode render) => render["status"]!.GetValue<string>();
}
