using System.Net.Http.Json;
using System.Text.Json.Nodes;
using RenderOwl.Api.IntegrationTests.Infrastructure;

namespace RenderOwl.Api.IntegrationTests.Caching;

/// <summary>An account with an API key and a project, and clients on several hosts that present the key.</summary>
internal static class CacheClients
{
    public sealed record KeyedAccount(string Key, string KeyId, string Project, string UserId);

    public static async Task<KeyedAccount> KeyedAccountAsync(this ApiTest test, Func<HttpClient> newClient)
    {
        var session = await test.RegisterUserAsync(newClient);
        var created = await (await session.Client.PostAsJsonAsync("/v1/api-keys", new { name = "cache" })).ReadJsonAsync();
        var project = (await session.Client.CreateProjectAsync("cached", "read often"))["id"]!.GetValue<string>();
        return new KeyedAccount(created["key"]!.GetValue<string>(), created["id"]!.GetValue<string>(), project, session.UserId);
    }

    public static HttpClient WithKey(this HttpClient client, string key)
    {
        client.DefaultRequestHeaders.Add("X-API-Key", key);
        return client;
    }

    public static async Task<JsonNode> StatsAsync(this HttpClient admin)
    {
        var response = await admin.GetAsync("/internal/cache/stats");
        Assert.Equal(System.Net.HttpStatusCode.OK, response.StatusCode);
        return await response.ReadJsonAsync();
    }

    public static long Long(this JsonNode node, string path)
    {
        var current = node;
        foreach (var part in path.Split('.'))
        {
            current = current![part];
        }
        return current!.GetValue<long>();
    }
}
