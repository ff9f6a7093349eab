using System.Diagnostics;
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
        using var client = hostA.CreateClient().WithKey(account.Key);
        var unread = (await client.CreateProjectAsync("first read during the outage"))["id"]!.GetValue<string>();
        var project = $"/v1/projects/{account.Project}";
        await TimedReadsAsync(client, project, 100); // warm: JIT, pools, the cache

        var before = await TimedReadsAsync(client, project, Samples);
        await redis.StopAsync();
        var during = await TimedReadsAsync(client, project, Samples);
        var fromPostgres = await client.GetAsync($"/v1/projects/{unread}");
        var me = await client.GetAsync("/v1/me");

        Assert.Equal(HttpStatusCode.OK, fromPostgres.StatusCode);
        Assert.Equal(HttpStatusCode.OK, me.StatusCode);
        var ratio = P99(during) / P99(before);
        Assert.True(ratio < 3, $"p99 during the outage {P99(during):F2} ms vs {P99(before):F2} ms before: {ratio:F2}x");

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

    /// <summary>Milliseconds per read; every read must be a 200.</summary>
    private static async Task<List<double>> TimedReadsAsync(HttpClient client, string path, int count)
    {
        var times = new List<double>(count);
        for (var i = 0; i < count; i++)
        {
            var watch = Stopwatch.StartNew();
            var response = await client.GetAsync(path);
            times.Add(watch.Elapsed.TotalMilliseconds);
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        }
        return times;
    }

    private static double P99(List<double> times)
    {
        var sorted = times.Order().ToList();
        return sorted[(int)Math.Ceiling(sorted.Count * 0.99) - 1];
    }
}
