using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Mvc.Testing;
using RenderOwl.Api.IntegrationTests.Infrastructure;

namespace RenderOwl.Api.IntegrationTests.Fuzz;

/// <summary>The accounts and resources the fuzz aims at: its own, another account's, an admin's, and ids that exist nowhere.</summary>
public sealed class FuzzWorld
{
    private readonly Dictionary<string, List<string>> _ids = [];
    private readonly List<AuthenticationHeaderValue?> _bearers = [];
    private readonly List<string> _apiKeys = [];

    private FuzzWorld(HttpClient client) => Client = client;

    public HttpClient Client { get; }

    public static async Task<FuzzWorld> CreateAsync(ApiTest test, WebApplicationFactory<Program> factory, ApiFixture fixture)
    {
        var world = new FuzzWorld(factory.CreateClient());
        var me = await test.RegisterUserAsync(factory.CreateClient);
        var other = await test.RegisterUserAsync(factory.CreateClient);
        var admin = await test.RegisterAdminAsync(fixture, factory.CreateClient);
        var project = (await me.Client.CreateProjectAsync("fuzzed"))["id"]!.GetValue<string>();
        var theirs = (await other.Client.CreateProjectAsync("theirs"))["id"]!.GetValue<string>();
        var asset = (await (await me.Client.PostAsync($"/v1/projects/{project}/assets", TestMedia.Multipart(TestMedia.Png, "a.png", "image/png"))).ReadJsonAsync())["id"]!.GetValue<string>();
        var template = (await (await me.Client.PostAsJsonAsync("/v1/templates", new
        {
            name = "t",
            variables = new object[] { new { name = "title", @default = "x" } },
            composition = new { duration = 1, background = "#000000", layers = new object[] { new { type = "text", text = "{{title}}", start = 0 } } },
        })).ReadJsonAsync())["id"]!.GetValue<string>();
        var render = (await me.Client.SubmitAsync(project, Renders.Small()))["id"]!.GetValue<string>();
        var key = await (await me.Client.PostAsJsonAsync("/v1/api-keys", new { name = "fuzz" })).ReadJsonAsync();

        world._ids["project_id"] = [project, theirs];
        world._ids["asset_id"] = [asset];
        world._ids["template_id"] = [template];
        world._ids["render_id"] = [render];
        world._ids["key_id"] = [key["id"]!.GetValue<string>()];
        world._ids["account_id"] = [me.UserId, other.UserId];
        world._ids["notification_id"] = ["ntf_01m8sby848e1earm7yenw3t678"];
        world._ids["check"] = ["database", "redis", "replica", "queue", "disk", "memory", "nope"];
        world._bearers.AddRange([me.Client.DefaultRequestHeaders.Authorization, other.Client.DefaultRequestHeaders.Authorization, admin.DefaultRequestHeaders.Authorization,
            null, new AuthenticationHeaderValue("Bearer", "not.a.jwt"), new AuthenticationHeaderValue("Basic", "dXNlcjpwYXNz")]);
        world._apiKeys.Add(key["key"]!.GetValue<string>());
        world._apiKeys.Add("rok_live_" + new string('A', 43));
        return world;
    }

    public async Task<List<(string Method, string Template)>> OperationsAsync()
    {
        var document = JsonNode.Parse(await Client.GetStringAsync("/openapi/v1.json"))!;
        var operations = new List<(string, string)>();
        foreach (var (path, item) in document["paths"]!.AsObject())
        {
            foreach (var (method, _) in item!.AsObject())
            {
                if (method is "get" or "post" or "put" or "patch" or "delete")
                {
                    operations.Add((method.ToUpperInvariant(), path));
                }
            }
        }
        return operations;
    }

    private static readonly string[] Garbage = ["proj_00000000000000000000000000", "ast_zzzzzzzzzzzzzzzzzzzzzzzzzz", "x", "..%2F..%2Fetc%2Fpasswd", "%20", "rnd_", "1", "usr_01m8sby848e1earm7yenw3t678"];

    private static readonly string[] Queries =
    [
        "page_size=-1", "page_size=1000000000", "page_size=abc", "page=0", "page=99999", "cursor=garbage", "cursor=", "status=bogus", "status=queued",
        "created_after=yesterday", "created_before=2026-13-45T99:00:00Z", "tag=", "unread=maybe", "principal=%00", "api-version=9", "page_size=2&cursor=x",
    ];

    public string Url(string method, string template, FuzzInputs inputs)
    {
        var url = template;
        while (url.IndexOf('{', StringComparison.Ordinal) is var open and >= 0)
        {
            var close = url.IndexOf('}', open);
            var name = url[(open + 1)..close];
            // Deletes aim at real ids rarely, so the resources the other requests need mostly stay.
            var value = inputs.Chance(method == "DELETE" ? 0.05 : 0.75) && _ids.TryGetValue(name, out var known)
                ? inputs.Pick(known)
                : inputs.Chance(0.05) ? new string('a', 3000) : inputs.Pick(Garbage);
            url = url[..open] + value + url[(close + 1)..];
        }
        if (inputs.Chance(0.3))
        {
            url += "?" + string.Join('&', Enumerable.Range(0, 1 + inputs.Next(3)).Select(_ => inputs.Pick(Queries)));
        }
        return url;
    }

    public void Authenticate(HttpRequestMessage request, FuzzInputs inputs)
    {
        if (inputs.Chance(0.15))
        {
            request.Headers.TryAddWithoutValidation("X-API-Key", inputs.Pick(_apiKeys));
            return;
        }
        request.Headers.Authorization = inputs.Chance(0.6) ? _bearers[0] : inputs.Pick(_bearers);
    }
}
