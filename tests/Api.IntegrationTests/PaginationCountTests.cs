using RenderOwl.Api.IntegrationTests.Infrastructure;

namespace RenderOwl.Api.IntegrationTests;

/// <summary>An offset page counts its list exactly up to 1,000 rows with a bounded scan; a longer list's total is counted once, kept, and flagged.</summary>
public sealed class PaginationCountTests(ApiFixture fixture) : ApiTest(fixture)
{
    [Fact]
    public async Task A_short_list_has_an_exact_total_from_a_bounded_count()
    {
        var session = await this.RegisterUserAsync(Anonymous);
        for (var i = 0; i < 3; i++)
        {
            await session.Client.CreateProjectAsync($"p{i}");
        }
        using var trace = new DbCommandTrace();

        var response = await session.Client.GetAsync("/v1/projects?page_size=2");

        var meta = (await response.ReadJsonAsync())["metadata"]!;
        Assert.Equal(3, meta["total"]!.GetValue<long>());
        Assert.True(meta["total_exact"]!.GetValue<bool>());
        Assert.True(meta["has_next"]!.GetValue<bool>());
        Assert.Contains(trace.Of(response), c => c.Text.Contains("count(*)", StringComparison.OrdinalIgnoreCase) && c.Text.Contains("LIMIT", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Past_a_thousand_the_total_is_kept_flagged_and_each_account_has_its_own()
    {
        var first = await this.RegisterUserAsync(Anonymous);
        var second = await this.RegisterUserAsync(Anonymous);
        await ManyProjectsAsync(first.UserId, 1_050);
        await ManyProjectsAsync(second.UserId, 1_234);

        var firstMeta = (await (await first.Client.GetAsync("/v1/projects?page_size=50")).ReadJsonAsync())["metadata"]!;
        var secondMeta = (await (await second.Client.GetAsync("/v1/projects?page_size=50")).ReadJsonAsync())["metadata"]!;

        Assert.Equal(1_050, firstMeta["total"]!.GetValue<long>());
        Assert.Equal(21, firstMeta["total_pages"]!.GetValue<int>());
        Assert.False(firstMeta["total_exact"]!.GetValue<bool>());
        Assert.Equal(1_234, secondMeta["total"]!.GetValue<long>());

        // Kept: a project added now shows in the rows at once, and in the total when the kept count expires.
        await first.Client.CreateProjectAsync("newest");
        var again = await (await first.Client.GetAsync("/v1/projects?page_size=50")).ReadJsonAsync();
        Assert.Equal("newest", again["items"]![0]!["name"]!.GetValue<string>());
        Assert.Equal(1_050, again["metadata"]!["total"]!.GetValue<long>());
        Assert.True(again["metadata"]!["has_next"]!.GetValue<bool>());
    }

    [Fact]
    public async Task A_list_that_fits_its_first_page_is_not_counted_and_a_kept_total_is_not_counted_again()
    {
        var session = await this.RegisterUserAsync(Anonymous);
        for (var i = 0; i < 3; i++)
        {
            await session.Client.CreateProjectAsync($"p{i}");
        }
        using (var trace = new DbCommandTrace())
        {
            var whole = await session.Client.GetAsync("/v1/projects?page_size=20");
            var meta = (await whole.ReadJsonAsync())["metadata"]!;
            Assert.Equal(3, meta["total"]!.GetValue<long>());
            Assert.True(meta["total_exact"]!.GetValue<bool>());
            Assert.DoesNotContain(trace.Of(whole), c => c.Text.Contains("count(*)", StringComparison.OrdinalIgnoreCase));
        }

        await ManyProjectsAsync(session.UserId, 1_100);
        Assert.False((await (await session.Client.GetAsync("/v1/projects?page_size=50")).ReadJsonAsync())["metadata"]!["total_exact"]!.GetValue<bool>());
        using (var trace = new DbCommandTrace())
        {
            var again = await session.Client.GetAsync("/v1/projects?page_size=50&page=2");
            var meta = (await again.ReadJsonAsync())["metadata"]!;
            Assert.Equal(1_103, meta["total"]!.GetValue<long>());
            Assert.False(meta["total_exact"]!.GetValue<bool>());
            Assert.DoesNotContain(trace.Of(again), c => c.Text.Contains("count(*)", StringComparison.OrdinalIgnoreCase)); // the kept total, not even the bounded count
        }
    }

    private Task<int> ManyProjectsAsync(string userId, int count)
    {
        var owner = RenderOwl.Domain.Common.UserId.Parse(userId, null).Value;
        return Database.ExecuteAsync(Fixture, $"""
            INSERT INTO projects.projects (id, owner_id, name, render_count, created_at, updated_at)
            SELECT gen_random_uuid(), '{owner}', 'bulk ' || n, 0, now() - make_interval(secs => n), now() - make_interval(secs => n)
            FROM generate_series(1, {count}) AS n
            """);
    }
}
