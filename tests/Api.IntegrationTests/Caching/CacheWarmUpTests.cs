using System.Net;
using Microsoft.Extensions.DependencyInjection;
using RenderOwl.Api.IntegrationTests.Infrastructure;
using RenderOwl.Infrastructure.Caching;

namespace RenderOwl.Api.IntegrationTests.Caching;

/// <summary>After a clear the warm-up job loads the last hour's most-read keys again; the cache's figures reach Prometheus.</summary>
public sealed class CacheWarmUpTests(ApiFixture fixture) : ApiTest(fixture)
{
    [Fact]
    public async Task After_a_clear_the_warm_up_job_loads_the_most_read_keys_and_the_next_read_needs_no_query()
    {
        var account = await this.KeyedAccountAsync(Fixture.Factory.CreateClient);
        using var admin = await this.RegisterAdminAsync(Fixture, Fixture.Factory.CreateClient);
        using var client = Fixture.Factory.CreateClient().WithKey(account.Key);
        for (var i = 0; i < 5; i++)
        {
            Assert.Equal(HttpStatusCode.OK, (await client.GetAsync($"/v1/projects/{account.Project}")).StatusCode);
        }
        await Fixture.Factory.Services.GetRequiredService<CacheReadLog>().FlushAsync(); // what it does every 10 s
        Assert.Equal(HttpStatusCode.NoContent, (await admin.PostAsync("/internal/cache/clear", null)).StatusCode);

        int loaded;
        await using (var scope = Fixture.Factory.Services.CreateAsyncScope())
        {
            loaded = await scope.ServiceProvider.GetRequiredService<WarmCacheJob>().RunAsync(CancellationToken.None);
        }
        using var trace = new DbCommandTrace();
        var read = await client.GetAsync($"/v1/projects/{account.Project}");

        Assert.True(loaded >= 3, $"{loaded} keys warmed (the project, the key, the account at least)");
        Assert.Equal(HttpStatusCode.OK, read.StatusCode);
        Assert.Empty(trace.Of(read));
        await using (var scope = Fixture.Factory.Services.CreateAsyncScope())
        {
            // Warm now: the next run finds the marker and does nothing.
            Assert.Equal(0, await scope.ServiceProvider.GetRequiredService<WarmCacheJob>().RunAsync(CancellationToken.None));
        }
    }

    [Fact]
    public async Task Cache_hits_and_misses_per_policy_and_level_are_Prometheus_metrics()
    {
        var account = await this.KeyedAccountAsync(Fixture.Factory.CreateClient);
        using var client = Fixture.Factory.CreateClient().WithKey(account.Key);
        await client.GetAsync($"/v1/projects/{account.Project}");
        await client.GetAsync($"/v1/projects/{account.Project}");

        var text = await (await Fixture.Factory.CreateClient().GetAsync("/metrics")).Content.ReadAsStringAsync();

        var lines = text.Split('\n').Where(l => l.StartsWith("renderowl_cache_requests_total{", StringComparison.Ordinal)).ToList();
        Assert.Contains(lines, l => l.Contains("level=\"l1\"", StringComparison.Ordinal) && l.Contains("policy=\"medium\"", StringComparison.Ordinal) && l.Contains("result=\"hit\"", StringComparison.Ordinal));
        Assert.Contains(lines, l => l.Contains("level=\"any\"", StringComparison.Ordinal) && l.Contains("policy=\"medium\"", StringComparison.Ordinal) && l.Contains("result=\"miss\"", StringComparison.Ordinal));
    }
}
