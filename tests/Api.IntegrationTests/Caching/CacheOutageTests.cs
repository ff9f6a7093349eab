using System.Net;
using RenderOwl.Api.IntegrationTests.Infrastructure;

namespace RenderOwl.Api.IntegrationTests.Caching;

/// <summary>Redis dies mid-test (a redis-server this test started, SIGKILLed): reads go on from memory and PostgreSQL, and the cache's Redis level comes back by itself.</summary>
public sealed class CacheOutageTests(ApiFixture fixture) : ApiTest(fixture)
{
    private const int Samples = 400;

    [Fact]
    public async Task Reads_keep_answering_while_Redis_is_down_and_use_it_again_when_it_returns()
    {
        await using var redis = await OwnedRedis.StartAsync();
        var settings = new Dictionary<string, string?> { ["ConnectionStrings:Redis"] = redis.ConnectionString, ["Cache:CircuitBreakerSeconds"] = "1" };
        await using var hostA = Fixture.CreateFactory(settings);
        await using var hostB = Fixture.CreateFactory(settings);
        var account = await this.KeyedAccountAsync(hostA.CreateClient);
        using var admin = await this.RegisterAdminAsync(Fixture, hostB.CreateClient);
        using var adminOnA = await this.RegisterAdminAsync(Fixture, hostA.CreateClient);
        using var client = hostA.CreateClient().WithKey(account.Key);
        var unread = (await client.CreateProjectAsync("first read during the outage"))["id"]!.GetValue<string>();
        var project = $"/v1/projects/{account.Project}";
        await ReadsAsync(client, project, 100); // warm: the project and the key in host A's memory

        await redis.StopAsync();
        var before = await adminOnA.StatsAsync();
        await ReadsAsync(client, project, Samples);
        var during = await adminOnA.StatsAsync();
        var fromPostgres = await client.GetAsync($"/v1/projects/{unread}");
        var me = await client.GetAsync("/v1/me");

        Assert.Equal(HttpStatusCode.OK, fromPostgres.StatusCode);
        Assert.Equal(HttpStatusCode.OK, me.StatusCode);
        // Every read was answered from memory, and none went to the dead Redis: no read waits on it (how long each took
        // is a benchmark's business, not a test's).
        Assert.True(during.Long("l1.hits") - before.Long("l1.hits") >= Samples, $"l1 hits {before.Long("l1.hits")} → {during.Long("l1.hits")}");
        Assert.Equal(before.Long("l2.hits") + before.Long("l2.misses") + before.Long("l2.errors"),
            during.Long("l2.hits") + during.Long("l2.misses") + during.Long("l2.errors"));

        await redis.StartAgainAsync();
        // Back by itself: a value host A loads is written to Redis again, and host B, which never read it, finds it there.
        using var onB = hostB.CreateClient().WithKey(account.Key);
        var l2HitsBefore = (await admin.StatsAsync()).Long("l2.hits");
        await Eventually.UntilAsync(async () =>
        {
            var fresh = (await client.CreateProjectAsync("after the outage"))["id"]!.GetValue<string>();
            Assert.Equal(HttpStatusCode.OK, (await client.GetAsync($"/v1/projects/{fresh}")).StatusCode);
            Assert.Equal(HttpStatusCode.OK, (await onB.GetAsync($"/v1/projects/{fresh}")).StatusCode);
            var stats = await admin.StatsAsync();
            return stats.Long("l2.hits") > l2HitsBefore && stats["l2"]!["available"]!.GetValue<bool>();
        }, TimeSpan.FromSeconds(60), "host B read a value from Redis after it came back", TimeSpan.FromMilliseconds(500));
    }

    /// <summary>Reads the path <paramref name="count"/> times; every read must be a 200.</summary>
    private static async Task ReadsAsync(HttpClient client, string path, int count)
    {
        for (var i = 0; i < count; i++)
        {
            Assert.Equal(HttpStatusCode.OK, (await client.GetAsync(path)).StatusCode);
        }
    }
}
