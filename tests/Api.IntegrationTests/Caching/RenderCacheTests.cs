using System.Net;
using RenderOwl.Api.IntegrationTests.Infrastructure;

namespace RenderOwl.Api.IntegrationTests.Caching;

/// <summary>A render is read from the cache while it runs (every change drops it, so its status and progress move) and, once finished, from the long policy.</summary>
public sealed class RenderCacheTests(ApiFixture fixture) : ApiTest(fixture)
{
    [Fact]
    public async Task A_polled_render_moves_to_succeeded_and_its_finished_state_is_then_read_without_a_query()
    {
        await using var worker = Fixture.CreateFactory(Renders.Worker);
        var (session, project) = await this.AccountWithProjectAsync(worker.CreateClient);
        var render = (await session.Client.SubmitAsync(project, Renders.Small(duration: 2)))["id"]!.GetValue<string>();
        var seen = new HashSet<string>();

        var done = await session.Client.WaitForAsync(render, r =>
        {
            seen.Add(r.Status());
            return r.Status() == "succeeded";
        });

        Assert.Equal(100, done["progress"]!.GetValue<int>());
        Assert.Contains("succeeded", seen);
        Assert.True(seen.Count >= 2, "the polls saw it change: " + string.Join(", ", seen));
        using var trace = new DbCommandTrace();
        var again = await session.Client.GetAsync($"/v1/renders/{render}");
        Assert.Equal(HttpStatusCode.OK, again.StatusCode);
        Assert.DoesNotContain(trace.Of(again), c => c.Text.Contains("renders", StringComparison.Ordinal));
        Assert.Equal("succeeded", (await again.ReadJsonAsync()).Status());
    }
}
