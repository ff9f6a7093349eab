using System.Diagnostics;
using System.IO.Compression;
using System.Net;
using System.Text;
using RenderOwl.Api.IntegrationTests.Infrastructure;
using RenderOwl.Domain.Common;
using StackExchange.Redis;

namespace RenderOwl.Api.IntegrationTests.Caching;

/// <summary>Two API hosts on one Redis and one PostgreSQL: a write on one is seen on the other (the backplane), a clear empties both.</summary>
public sealed class TwoHostCacheTests(ApiFixture fixture) : ApiTest(fixture), IAsyncLifetime
{
    private ApiFactory _hostB = null!;

    public new async Task InitializeAsync()
    {
        await Fixture.ResetAsync();
        _hostB = Fixture.CreateFactory();
    }

    public new async Task DisposeAsync() => await _hostB.DisposeAsync();

    [Fact]
    public async Task A_project_changed_on_host_A_is_read_new_on_host_B_within_100_ms()
    {
        var account = await this.KeyedAccountAsync(Fixture.Factory.CreateClient);
        using var onA = Fixture.Factory.CreateClient().WithKey(account.Key);
        using var onB = _hostB.CreateClient().WithKey(account.Key);
        Assert.Equal("cached", (await (await onA.GetAsync($"/v1/projects/{account.Project}")).ReadJsonAsync())["name"]!.GetValue<string>());
        Assert.Equal("cached", (await (await onB.GetAsync($"/v1/projects/{account.Project}")).ReadJsonAsync())["name"]!.GetValue<string>());
        Assert.Equal("cached", (await (await onB.GetAsync($"/v1/projects/{account.Project}")).ReadJsonAsync())["name"]!.GetValue<string>()); // from B's memory

        var patched = await onA.PatchAsync($"/v1/projects/{account.Project}", TestHttp.Json("""{"name":"changed on A"}"""));
        Assert.Equal(HttpStatusCode.OK, patched.StatusCode);
        var since = Stopwatch.StartNew();
        string seen;
        do
        {
            seen = (await (await onB.GetAsync($"/v1/projects/{account.Project}")).ReadJsonAsync())["name"]!.GetValue<string>();
        }
        while (seen != "changed on A" && since.ElapsedMilliseconds < 100);

        Assert.Equal("changed on A", seen);
    }

    [Fact]
    public async Task An_API_key_revoked_on_host_A_is_refused_on_host_B()
    {
        var account = await this.KeyedAccountAsync(Fixture.Factory.CreateClient);
        using var onA = Fixture.Factory.CreateClient().WithKey(account.Key);
        using var onB = _hostB.CreateClient().WithKey(account.Key);
        Assert.Equal(HttpStatusCode.OK, (await onB.GetAsync("/v1/me")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await onB.GetAsync("/v1/me")).StatusCode); // B answers from memory now

        Assert.Equal(HttpStatusCode.NoContent, (await onA.DeleteAsync($"/v1/api-keys/{account.KeyId}")).StatusCode);

        // The backplane's message reaches B in well under a millisecond; B's next requests are refused.
        var since = Stopwatch.StartNew();
        HttpStatusCode status;
        do
        {
            status = (await onB.GetAsync("/v1/me")).StatusCode;
        }
        while (status == HttpStatusCode.OK && since.ElapsedMilliseconds < 100);
        Assert.Equal(HttpStatusCode.Unauthorized, status);
        Assert.Equal(HttpStatusCode.Unauthorized, (await onB.GetAsync("/v1/me")).StatusCode);
    }

    [Fact]
    public async Task A_value_over_1_KiB_is_stored_gzip_compressed_in_Redis()
    {
        var account = await this.KeyedAccountAsync(Fixture.Factory.CreateClient);
        using var client = Fixture.Factory.CreateClient().WithKey(account.Key);
        var layers = string.Join(",", Enumerable.Range(0, 40).Select(i => $$"""{"type":"text","text":"line number {{i}} of a long template","start":0,"duration":1}"""));
        var created = await client.PostAsync("/v1/templates", TestHttp.Json($$$"""{"name":"long","composition":{"duration":1,"layers":[{{{layers}}}]}}"""));
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        var id = (await created.ReadJsonAsync())["id"]!.GetValue<string>();
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync($"/v1/templates/{id}")).StatusCode);

        await using var redis = await ConnectionMultiplexer.ConnectAsync(Fixture.Redis);
        // FusionCache puts its wire-format version between the prefix and the policy (renderowl:cache:v2:medium:…).
        var pattern = "renderowl:cache:*medium:template:" + TemplateId.Parse(id, null).Value.ToString("N");
        var key = await redis.GetServers()[0].KeysAsync(pattern: pattern).SingleAsync();
        var raw = (byte[]?)await redis.GetDatabase().HashGetAsync(key, "data");
        Assert.NotNull(raw);
        Assert.Equal([0x1F, 0x8B], raw![..2]);
        using var gzip = new GZipStream(new MemoryStream(raw), CompressionMode.Decompress);
        using var json = new MemoryStream();
        await gzip.CopyToAsync(json);
        Assert.True(json.Length > 1024, $"the value is {json.Length} bytes uncompressed");
        Assert.True(raw.Length < json.Length / 2, $"{raw.Length} bytes compressed of {json.Length}");
        Assert.Contains("line number 39 of a long template", Encoding.UTF8.GetString(json.ToArray()), StringComparison.Ordinal);

        // And a second host reads it back from Redis, decompressed, as the first host shows it.
        using var onB = _hostB.CreateClient().WithKey(account.Key);
        Assert.Equal(await (await client.GetAsync($"/v1/templates/{id}")).Content.ReadAsStringAsync(),
            await (await onB.GetAsync($"/v1/templates/{id}")).Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task Stats_count_hits_and_misses_clear_empties_every_host_and_reset_zeroes_the_figures()
    {
        var account = await this.KeyedAccountAsync(Fixture.Factory.CreateClient);
        using var admin = await this.RegisterAdminAsync(Fixture, Fixture.Factory.CreateClient);
        using var onA = Fixture.Factory.CreateClient().WithKey(account.Key);
        using var onB = _hostB.CreateClient().WithKey(account.Key);
        var asset = (await (await onA.PostAsync($"/v1/projects/{account.Project}/assets", TestMedia.Multipart(TestMedia.Png, "dot.png", "image/png"))).ReadJsonAsync())["id"]!.GetValue<string>();

        Assert.Equal(HttpStatusCode.NoContent, (await admin.PostAsync("/internal/cache/reset-stats", null)).StatusCode);
        for (var i = 0; i < 3; i++)
        {
            Assert.Equal(HttpStatusCode.OK, (await onA.GetAsync($"/v1/assets/{asset}")).StatusCode);
        }
        var stats = await admin.StatsAsync();
        // Asset metadata is the only read of the long policy: one miss (the first read), then two hits.
        Assert.Equal(1, stats.Long("policies.long.misses"));
        Assert.Equal(2, stats.Long("policies.long.hits"));
        Assert.Equal(3600, stats.Long("policies.long.ttl_seconds"));
        Assert.Equal(stats.Long("hits"), stats.Long("policies.short.hits") + stats.Long("policies.medium.hits") + stats.Long("policies.long.hits"));
        Assert.True(stats["l2"]!["available"]!.GetValue<bool>());
        Assert.True(stats.Long("l1.entries") > 0);

        // Both hosts hold the project, A the asset too; a clear on A empties both: what each held is read from PostgreSQL.
        await onA.GetAsync($"/v1/projects/{account.Project}");
        await onB.GetAsync($"/v1/projects/{account.Project}");
        Assert.Equal(HttpStatusCode.NoContent, (await admin.PostAsync("/internal/cache/clear", null)).StatusCode);
        using var trace = new DbCommandTrace();
        // B learns of the clear through the backplane (as of a PATCH): within 100 ms its next read goes to PostgreSQL…
        var since = Stopwatch.StartNew();
        bool queried;
        do
        {
            queried = trace.Of(await onB.GetAsync($"/v1/projects/{account.Project}")).Any(c => c.Text.Contains("projects", StringComparison.Ordinal));
        }
        while (!queried && since.ElapsedMilliseconds < 100);
        Assert.True(queried, "host B read the project from PostgreSQL after the clear");
        // …and A's are empty too: the asset it held (memory and Redis) is read from PostgreSQL again.
        var assetOnA = await onA.GetAsync($"/v1/assets/{asset}");
        Assert.Contains(trace.Of(assetOnA), c => c.Text.Contains("assets", StringComparison.Ordinal));

        // One tag: only that entry goes.
        await onA.GetAsync($"/v1/assets/{asset}");
        var projectTag = "project:" + ProjectId.Parse(account.Project, null).Value.ToString("N");
        Assert.Equal(HttpStatusCode.NoContent, (await admin.PostAsync("/internal/cache/clear", TestHttp.Json($$"""{"tag":"{{projectTag}}"}"""))).StatusCode);
        var projectAgain = await onA.GetAsync($"/v1/projects/{account.Project}");
        var assetAgain = await onA.GetAsync($"/v1/assets/{asset}");
        Assert.NotEmpty(trace.Of(projectAgain));
        Assert.Empty(trace.Of(assetAgain));

        Assert.Equal(HttpStatusCode.NoContent, (await admin.PostAsync("/internal/cache/reset-stats", null)).StatusCode);
        var zeroed = await admin.StatsAsync();
        Assert.Equal(0, zeroed.Long("misses"));
        Assert.Equal(0, zeroed.Long("policies.long.hits") + zeroed.Long("policies.long.misses") + zeroed.Long("policies.short.hits"));
        Assert.True(zeroed.Long("hits") <= 1, "only the stats request's own account lookup"); // the admin's session reads its account
    }

    [Fact]
    public async Task Cache_operations_are_for_admins_and_a_malformed_tag_is_refused()
    {
        var user = await this.RegisterUserAsync(Fixture.Factory.CreateClient);
        using var admin = await this.RegisterAdminAsync(Fixture, Fixture.Factory.CreateClient);

        await (await user.Client.GetAsync("/internal/cache/stats")).AssertProblemAsync(HttpStatusCode.Forbidden, "forbidden");
        await (await user.Client.PostAsync("/internal/cache/clear", null)).AssertProblemAsync(HttpStatusCode.Forbidden, "forbidden");
        await (await Fixture.Factory.CreateClient().PostAsync("/internal/cache/reset-stats", null)).AssertProblemAsync(HttpStatusCode.Unauthorized, "unauthorized");
        await (await admin.PostAsync("/internal/cache/clear", TestHttp.Json("""{"tag":"not a tag"}"""))).AssertProblemAsync(HttpStatusCode.BadRequest, "validation-failed");
        await (await admin.PostAsync("/internal/cache/clear", TestHttp.Json("""{"tag":""}"""))).AssertProblemAsync(HttpStatusCode.BadRequest, "validation-failed");
    }
}
