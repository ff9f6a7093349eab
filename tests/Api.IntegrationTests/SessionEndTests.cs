using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using RenderOwl.Api.IntegrationTests.Infrastructure;

namespace RenderOwl.Api.IntegrationTests;

/// <summary>Access tokens end with their session; sensitive actions need a recent sign-in (docs/security.md, "Sessions").</summary>
public sealed class SessionEndTests(ApiFixture fixture) : ApiTest(fixture)
{
    private static HttpClient With(HttpClient client, string accessToken)
    {
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", accessToken);
        return client;
    }

    private static long AuthTime(string jwt)
    {
        var payload = jwt.Split('.')[1].Replace('-', '+').Replace('_', '/');
        payload = payload.PadRight(payload.Length + ((4 - (payload.Length % 4)) % 4), '=');
        return JsonDocument.Parse(Convert.FromBase64String(payload)).RootElement.GetProperty("auth_time").GetInt64();
    }

    [Fact]
    public async Task After_logout_the_access_token_neither_reads_nor_creates_api_keys_on_any_instance()
    {
        await using var other = Fixture.CreateFactory(); // a second instance sharing PostgreSQL and Redis
        var session = await this.RegisterUserAsync(Anonymous);
        var elsewhere = With(other.CreateClient(), session.AccessToken);
        Assert.Equal(HttpStatusCode.OK, (await elsewhere.GetAsync("/v1/me")).StatusCode);

        Assert.Equal(HttpStatusCode.NoContent, (await Anonymous().PostAsJsonAsync("/v1/auth/logout", new { refresh_token = session.RefreshToken })).StatusCode);

        foreach (var client in new[] { session.Client, elsewhere })
        {
            await (await client.GetAsync("/v1/me")).AssertProblemAsync(HttpStatusCode.Unauthorized, "unauthorized");
            await (await client.PostAsJsonAsync("/v1/api-keys", new { name = "after logout" })).AssertProblemAsync(HttpStatusCode.Unauthorized, "unauthorized");
        }
        // Another session of the same account is untouched.
        var login = await (await Anonymous().PostAsJsonAsync("/v1/auth/login", new { email = session.Email, password = session.Password })).ReadJsonAsync();
        Assert.Equal(HttpStatusCode.OK, (await With(Anonymous(), login["access_token"]!.GetValue<string>()).GetAsync("/v1/me")).StatusCode);
    }

    [Fact]
    public async Task A_family_revoked_for_refresh_token_reuse_ends_its_access_tokens_old_and_new()
    {
        var session = await this.RegisterUserAsync(Anonymous);
        var http = Anonymous();
        var refreshed = await (await http.PostAsJsonAsync("/v1/auth/refresh", new { refresh_token = session.RefreshToken })).ReadJsonAsync();
        var newest = With(Anonymous(), refreshed["access_token"]!.GetValue<string>());
        Assert.Equal(HttpStatusCode.OK, (await newest.GetAsync("/v1/me")).StatusCode);

        // The rotated token comes back — the sign of a stolen token.
        await (await http.PostAsJsonAsync("/v1/auth/refresh", new { refresh_token = session.RefreshToken })).AssertProblemAsync(HttpStatusCode.Unauthorized, "invalid-refresh-token");

        await (await newest.GetAsync("/v1/me")).AssertProblemAsync(HttpStatusCode.Unauthorized, "unauthorized");
        await (await session.Client.GetAsync("/v1/me")).AssertProblemAsync(HttpStatusCode.Unauthorized, "unauthorized");
    }

    [Fact]
    public async Task An_ended_session_stays_ended_while_redis_is_down_and_after_it_returns_empty()
    {
        await using var redis = await OwnedRedis.StartAsync();
        await using var factory = Fixture.CreateFactory(new Dictionary<string, string?> { ["ConnectionStrings:Redis"] = redis.ConnectionString });
        var session = await this.RegisterUserAsync(factory.CreateClient);
        var live = await this.RegisterUserAsync(factory.CreateClient);
        Assert.Equal(HttpStatusCode.NoContent, (await factory.CreateClient().PostAsJsonAsync("/v1/auth/logout", new { refresh_token = session.RefreshToken })).StatusCode);
        await (await session.Client.GetAsync("/v1/me")).AssertProblemAsync(HttpStatusCode.Unauthorized, "unauthorized");

        await redis.StopAsync(); // PostgreSQL answers
        await (await session.Client.GetAsync("/v1/me")).AssertProblemAsync(HttpStatusCode.Unauthorized, "unauthorized");
        Assert.Equal(HttpStatusCode.OK, (await live.Client.GetAsync("/v1/me")).StatusCode);

        await redis.StartAgainAsync(); // empty: no persistence
        await using var probe = await StackExchange.Redis.ConnectionMultiplexer.ConnectAsync(redis.ConnectionString);
        await Eventually.UntilAsync(async () =>
        {
            // Every answer, before and after the instance reconnects, refuses the ended session.
            await (await session.Client.GetAsync("/v1/me")).AssertProblemAsync(HttpStatusCode.Unauthorized, "unauthorized");
            return await probe.GetDatabase().KeyExistsAsync("renderowl:session-ended:mirror");
        }, TimeSpan.FromSeconds(30), "the mirror was rebuilt into the new Redis", TimeSpan.FromMilliseconds(200));
        await (await session.Client.GetAsync("/v1/me")).AssertProblemAsync(HttpStatusCode.Unauthorized, "unauthorized");
        Assert.Equal(HttpStatusCode.OK, (await live.Client.GetAsync("/v1/me")).StatusCode);
    }

    [Fact]
    public async Task Refreshing_keeps_the_sign_in_time_so_a_session_cannot_refresh_itself_fresh()
    {
        var session = await this.RegisterUserAsync(Anonymous);
        await Task.Delay(1100);
        var refreshed = await (await Anonymous().PostAsJsonAsync("/v1/auth/refresh", new { refresh_token = session.RefreshToken })).ReadJsonAsync();
        Assert.Equal(AuthTime(session.AccessToken), AuthTime(refreshed["access_token"]!.GetValue<string>()));
        var login = await (await Anonymous().PostAsJsonAsync("/v1/auth/login", new { email = session.Email, password = session.Password })).ReadJsonAsync();
        Assert.True(AuthTime(login["access_token"]!.GetValue<string>()) > AuthTime(session.AccessToken));
    }

    [Fact]
    public async Task Creating_an_api_key_from_an_old_session_needs_the_password()
    {
        await using var strict = Fixture.CreateFactory(new Dictionary<string, string?> { ["Auth:ReauthMaxAgeMinutes"] = "0" });
        var session = await this.RegisterUserAsync(strict.CreateClient);
        await Task.Delay(1100); // older than 0 minutes

        var problem = await (await session.Client.PostAsJsonAsync("/v1/api-keys", new { name = "k" })).AssertProblemAsync(HttpStatusCode.Unauthorized, "reauth-required");
        Assert.Contains("password", problem["detail"]!.GetValue<string>(), StringComparison.Ordinal);
        await (await session.Client.PostAsJsonAsync("/v1/api-keys", new { name = "k", password = "not the password" })).AssertProblemAsync(HttpStatusCode.Unauthorized, "invalid-credentials");
        var created = await session.Client.PostAsJsonAsync("/v1/api-keys", new { name = "k", password = session.Password });
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);

        // An API key is no session: it cannot mint keys without the password either.
        var keyClient = strict.CreateClient();
        keyClient.DefaultRequestHeaders.Add("X-API-Key", (await created.ReadJsonAsync())["key"]!.GetValue<string>());
        await (await keyClient.PostAsJsonAsync("/v1/api-keys", new { name = "k2" })).AssertProblemAsync(HttpStatusCode.Unauthorized, "reauth-required");
        Assert.Single((await (await session.Client.GetAsync("/v1/api-keys")).ReadJsonAsync())["items"]!.AsArray());
    }
}
