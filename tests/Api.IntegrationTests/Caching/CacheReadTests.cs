using System.Net;
using RenderOwl.Api.IntegrationTests.Infrastructure;

namespace RenderOwl.Api.IntegrationTests.Caching;

/// <summary>The read cache saves queries: a hot read costs the database one query, however many ask at once, and a 304 costs none.</summary>
public sealed class CacheReadTests(ApiFixture fixture) : ApiTest(fixture)
{
    [Fact]
    public async Task A_project_read_twice_costs_one_database_query()
    {
        var account = await this.KeyedAccountAsync(Fixture.Factory.CreateClient);
        using var client = Fixture.Factory.CreateClient().WithKey(account.Key);
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/v1/me")).StatusCode); // the key and the account are cached now
        using var trace = new DbCommandTrace();

        var first = await client.GetAsync($"/v1/projects/{account.Project}");
        var second = await client.GetAsync($"/v1/projects/{account.Project}");

        Assert.Equal(HttpStatusCode.OK, first.StatusCode);
        Assert.Equal(await first.Content.ReadAsStringAsync(), await second.Content.ReadAsStringAsync());
        var firstQueries = trace.Of(first);
        Assert.Single(firstQueries);
        Assert.Contains("projects", firstQueries[0].Text, StringComparison.Ordinal);
        Assert.Empty(trace.Of(second));
    }

    [Fact]
    public async Task A_bypassed_kind_is_read_from_the_database_every_time_while_the_key_and_account_stay_cached()
    {
        await using var host = Fixture.CreateFactory(new Dictionary<string, string?> { ["Cache:Bypass"] = "project" });
        var account = await this.KeyedAccountAsync(host.CreateClient);
        using var client = host.CreateClient().WithKey(account.Key);
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/v1/me")).StatusCode);
        using var trace = new DbCommandTrace();

        var first = await client.GetAsync($"/v1/projects/{account.Project}");
        var second = await client.GetAsync($"/v1/projects/{account.Project}");

        Assert.Equal(HttpStatusCode.OK, second.StatusCode);
        foreach (var response in new[] { first, second })
        {
            var queries = trace.Of(response);
            Assert.Single(queries); // the project, and neither the key nor the account
            Assert.Contains("projects", queries[0].Text, StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task A_hundred_concurrent_cold_reads_of_one_project_cost_one_query()
    {
        var account = await this.KeyedAccountAsync(Fixture.Factory.CreateClient);
        using var client = Fixture.Factory.CreateClient().WithKey(account.Key);
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/v1/me")).StatusCode);
        using var trace = new DbCommandTrace();

        var responses = await Task.WhenAll(Enumerable.Range(0, 100).Select(_ => client.GetAsync($"/v1/projects/{account.Project}")));

        Assert.All(responses, r => Assert.Equal(HttpStatusCode.OK, r.StatusCode));
        Assert.Equal(1, responses.Sum(r => trace.Of(r).Count));
    }

    [Fact]
    public async Task If_None_Match_with_the_cached_ETag_is_answered_304_without_the_database()
    {
        var account = await this.KeyedAccountAsync(Fixture.Factory.CreateClient);
        using var client = Fixture.Factory.CreateClient().WithKey(account.Key);
        var first = await client.GetAsync($"/v1/projects/{account.Project}");
        var etag = first.Headers.ETag!;
        using var trace = new DbCommandTrace();

        using var conditional = new HttpRequestMessage(HttpMethod.Get, $"/v1/projects/{account.Project}");
        conditional.Headers.IfNoneMatch.Add(etag);
        var notModified = await client.SendAsync(conditional);

        Assert.Equal(HttpStatusCode.NotModified, notModified.StatusCode);
        Assert.Equal(etag, notModified.Headers.ETag);
        Assert.Empty(trace.Of(notModified));
    }

    [Fact]
    public async Task A_template_and_an_asset_and_the_account_are_read_from_the_cache_and_a_write_is_seen_at_once()
    {
        var account = await this.KeyedAccountAsync(Fixture.Factory.CreateClient);
        using var client = Fixture.Factory.CreateClient().WithKey(account.Key);
        var template = (await (await client.PostAsync("/v1/templates", TestHttp.Json(
            """{"name":"t","composition":{"duration":1,"layers":[{"type":"color","color":"#112233","start":0,"duration":1}]}}"""))).ReadJsonAsync())["id"]!.GetValue<string>();
        await client.GetAsync($"/v1/templates/{template}");
        await client.GetAsync("/v1/me");
        using var trace = new DbCommandTrace();

        var cachedTemplate = await client.GetAsync($"/v1/templates/{template}");
        Assert.Equal(HttpStatusCode.OK, cachedTemplate.StatusCode);
        Assert.Empty(trace.Of(cachedTemplate));

        var renamed = await client.PatchAsync($"/v1/templates/{template}", TestHttp.Json("""{"name":"renamed"}"""));
        Assert.Equal(HttpStatusCode.OK, renamed.StatusCode);
        var afterWrite = await (await client.GetAsync($"/v1/templates/{template}")).ReadJsonAsync();
        Assert.Equal("renamed", afterWrite["name"]!.GetValue<string>());

        Assert.Equal(HttpStatusCode.NoContent, (await client.DeleteAsync($"/v1/templates/{template}")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await client.GetAsync($"/v1/templates/{template}")).StatusCode);

        var renamedMe = await client.PatchAsync("/v1/me", TestHttp.Json("""{"name":"New Name"}"""));
        Assert.Equal(HttpStatusCode.OK, renamedMe.StatusCode);
        Assert.Equal("New Name", (await (await client.GetAsync("/v1/me")).ReadJsonAsync())["name"]!.GetValue<string>());
    }

    [Fact]
    public async Task Another_accounts_cached_project_is_still_not_found()
    {
        var owner = await this.KeyedAccountAsync(Fixture.Factory.CreateClient);
        var stranger = await this.KeyedAccountAsync(Fixture.Factory.CreateClient);
        using var ownerClient = Fixture.Factory.CreateClient().WithKey(owner.Key);
        using var strangerClient = Fixture.Factory.CreateClient().WithKey(stranger.Key);
        Assert.Equal(HttpStatusCode.OK, (await ownerClient.GetAsync($"/v1/projects/{owner.Project}")).StatusCode);

        await (await strangerClient.GetAsync($"/v1/projects/{owner.Project}")).AssertProblemAsync(HttpStatusCode.NotFound, "not-found");
    }

    [Fact]
    public async Task A_tier_change_by_an_admin_applies_to_the_next_request_of_a_session()
    {
        var session = await this.RegisterUserAsync(Fixture.Factory.CreateClient);
        Assert.Equal("free", (await (await session.Client.GetAsync("/v1/me")).ReadJsonAsync())["tier"]!.GetValue<string>());
        using var admin = await this.RegisterAdminAsync(Fixture, Fixture.Factory.CreateClient);

        var changed = await admin.PatchAsync($"/internal/accounts/{session.UserId}", TestHttp.Json("""{"tier":"pro"}"""));

        Assert.Equal(HttpStatusCode.OK, changed.StatusCode);
        var me = await (await session.Client.GetAsync("/v1/me")).ReadJsonAsync();
        Assert.Equal("pro", me["tier"]!.GetValue<string>());
    }

    [Fact]
    public async Task The_cache_is_also_Microsofts_HybridCache()
    {
        var hybrid = Fixture.Factory.Services.GetService(typeof(Microsoft.Extensions.Caching.Hybrid.HybridCache));
        Assert.IsType<ZiggyCreatures.Caching.Fusion.MicrosoftHybridCache.FusionHybridCache>(hybrid);
        await Task.CompletedTask;
    }
}
