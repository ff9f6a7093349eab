using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.Extensions.DependencyInjection;

namespace RenderOwl.Api.IntegrationTests.Infrastructure;

public sealed record Session(HttpClient Client, string Email, string Password, string AccessToken, string RefreshToken, string UserId);

/// <summary>Test helpers named by intent.</summary>
public static class TestHttp
{
    /// <summary>Registers an account from a client of <paramref name="newClient"/>; the session gets a client of its own, signed in (no client given is changed).</summary>
    public static async Task<Session> RegisterUserAsync(this ApiTest test, Func<HttpClient> newClient, string? email = null)
    {
        email ??= $"user-{Guid.NewGuid():N}@example.com";
        const string password = "correct horse battery staple";
        using var anonymous = newClient();
        var response = await anonymous.PostAsJsonAsync("/v1/auth/register", new { email, password, name = "Test User" });
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        var body = await response.ReadJsonAsync();
        var access = body["access_token"]!.GetValue<string>();
        var client = newClient();
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", access);
        return new Session(client, email, password, access, body["refresh_token"]!.GetValue<string>(), body["user"]!["id"]!.GetValue<string>());
    }

    /// <summary>Registers an account, makes it an admin with the product's own command (what <c>admin promote</c> runs) and logs in again for a token with the role.</summary>
    public static async Task<HttpClient> RegisterAdminAsync(this ApiTest test, ApiFixture fixture, Func<HttpClient> newClient)
    {
        var admin = await test.RegisterUserAsync(newClient);
        await using (var scope = fixture.Factory.Services.CreateAsyncScope())
        {
            await scope.ServiceProvider.GetRequiredService<Mediator.ISender>().Send(new RenderOwl.Application.Identity.Accounts.PromoteToAdminCommand(admin.Email));
        }
        var login = await (await newClient().PostAsJsonAsync("/v1/auth/login", new { email = admin.Email, password = admin.Password })).ReadJsonAsync();
        var client = newClient();
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", login["access_token"]!.GetValue<string>());
        return client;
    }

    public static async Task<JsonNode> CreateProjectAsync(this HttpClient client, string name, string? description = null)
    {
        var response = await client.PostAsJsonAsync("/v1/projects", new { name, description });
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        return await response.ReadJsonAsync();
    }

    public static async Task<JsonNode> ReadJsonAsync(this HttpResponseMessage response)
    {
        var text = await response.Content.ReadAsStringAsync();
        return JsonNode.Parse(text) ?? throw new InvalidOperationException("empty body");
    }

    /// <summary>Asserts an RFC 9457 problem with the status and type slug, and returns it.</summary>
    public static async Task<JsonNode> AssertProblemAsync(this HttpResponseMessage response, HttpStatusCode status, string slug)
    {
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(status == response.StatusCode, $"expected {(int)status}, got {(int)response.StatusCode}: {text}");
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        var problem = JsonNode.Parse(text)!;
        Assert.Equal("https://api.renderowl.com/errors/" + slug, problem["type"]!.GetValue<string>());
        Assert.Equal((int)status, problem["status"]!.GetValue<int>());
        Assert.False(string.IsNullOrEmpty(problem["title"]?.GetValue<string>()));
        Assert.False(string.IsNullOrEmpty(problem["trace_id"]?.GetValue<string>()));
        Assert.StartsWith("/", problem["instance"]!.GetValue<string>());
        return problem;
    }

    public static StringContent Json(string raw) => new(raw, Encoding.UTF8, "application/json");

    public static HttpRequestMessage Request(HttpMethod method, string url, object? body = null, params (string Name, string Value)[] headers)
    {
        var request = new HttpRequestMessage(method, url);
        if (body is not null)
        {
            request.Content = new StringContent(JsonSerializer.Serialize(body), Encoding.UTF8, "application/json");
        }
        foreach (var (name, value) in headers)
        {
            request.Headers.TryAddWithoutValidation(name, value);
        }
        return request;
    }
}
