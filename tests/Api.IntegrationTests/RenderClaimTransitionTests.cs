using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;
using RenderOwl.Api.IntegrationTests.Infrastructure;
using RenderOwl.Domain.Common;
using RenderOwl.Domain.Rendering;
using RenderOwl.Infrastructure.Persistence;

namespace RenderOwl.Api.IntegrationTests;

/// <summary>
/// The claim performs <see cref="Render.Start"/> in SQL (<c>rendering.claim_renders</c>, one round trip for a batch). Both must agree with
/// <see cref="RenderTransitions"/>: the claim takes a render exactly when the table allows <c>start</c> from its status, and leaves it as
/// <see cref="Render.Start"/> would.
/// </summary>
public sealed class RenderClaimTransitionTests(ApiFixture fixture) : ApiTest(fixture)
{
    private const string Worker = "transition-test";

    [Fact]
    public async Task The_claim_takes_a_render_exactly_when_the_transition_table_allows_start()
    {
        var renders = await SeedOneInEveryStatusAsync();

        var claimed = await ClaimAsync(max: 10);

        var allowed = renders.Where(r => RenderTransitions.Allows(r.Status, "start", out _)).Select(r => r.Id.Value).ToHashSet();
        Assert.NotEmpty(allowed);
        Assert.Equal(allowed.Order(), claimed.Order());
    }

    [Fact]
    public async Task A_claimed_render_is_left_as_Render_Start_leaves_it()
    {
        var queued = (await SeedOneInEveryStatusAsync()).Single(r => r.Status == RenderStatus.Queued);
        var expected = Copy(queued);
        expected.Start(Worker, DateTimeOffset.UtcNow.AddSeconds(30), DateTimeOffset.UtcNow);

        Assert.Single(await ClaimAsync(max: 1));

        await using var scope = Fixture.Factory.Services.CreateAsyncScope();
        var row = await scope.ServiceProvider.GetRequiredService<AppDbContext>().Renders.AsNoTracking().SingleAsync(r => r.Id == queued.Id);
        Assert.Equal(expected.Status, row.Status);
        Assert.True(RenderTransitions.Allows(RenderStatus.Queued, "start", out var to) && to == row.Status);
        Assert.Equal(expected.Attempts, row.Attempts);
        Assert.Equal(expected.Progress, row.Progress);
        Assert.Equal(expected.LeaseOwner, row.LeaseOwner);
        Assert.NotNull(row.StartedAt);
        Assert.NotNull(row.WaitMs);
        Assert.NotNull(row.LeaseExpiresAt);
        Assert.True(row.LeaseExpiresAt > row.StartedAt, "the lease runs from the claim");
    }

    /// <summary>A render of the account in each status, reached through the entity's own transitions, saved with the product's context.</summary>
    private async Task<List<Render>> SeedOneInEveryStatusAsync()
    {
        var session = await this.RegisterUserAsync(Anonymous);
        var project = (await session.Client.CreateProjectAsync("claims"))["id"]!.GetValue<string>();
        Assert.True(TypedId.TryParse<UserId>(session.UserId, out var owner));
        Assert.True(TypedId.TryParse<ProjectId>(project, out var projectId));
        var now = DateTimeOffset.UtcNow.AddMinutes(-1);
        Render New() => Render.Submit(projectId, owner, null, """{"duration": 1, "background": "#000000", "layers": []}""", [],
            new OutputSettings(OutputFormat.Mp4, 64, 64, 5, Quality.Draft), RenderPriority.Normal, false, [], "{}", null, 10, 3, now);
        var renders = new List<Render>();
        foreach (var status in Enum.GetValues<RenderStatus>())
        {
            var render = New();
            switch (status)
            {
                case RenderStatus.Rendering:
                    render.Start("someone", now.AddMinutes(10), now);
                    break;
                case RenderStatus.Succeeded:
                    render.Start("someone", now.AddMinutes(10), now);
                    render.Succeed(new RenderOutputInfo("k", "mp4", 64, 64, 5, 1, 1, new string('0', 64)), now);
                    break;
                case RenderStatus.Failed:
                    render.Fail("x", "failed", now);
                    break;
                case RenderStatus.Canceled:
                    render.RequestCancel(now);
                    break;
            }
            Assert.Equal(status, render.Status);
            renders.Add(render);
        }
        await using var scope = Fixture.Factory.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<AppDbContext>();
        db.Renders.AddRange(renders);
        await db.SaveChangesAsync();
        return renders;
    }

    private static Render Copy(Render render)
        => Render.Submit(render.ProjectId, render.OwnerId, render.TemplateId, render.CompositionJson, render.AssetIds, render.Settings, render.Priority,
            render.Watermark, render.Tags, render.MetadataJson, render.WebhookUrl, render.ConcurrencyCap, render.MaxAttempts, render.QueuedAt);

    private async Task<List<Guid>> ClaimAsync(int max)
    {
        await using var connection = new NpgsqlConnection(Fixture.ConnectionString);
        await connection.OpenAsync();
        return await DispatcherDatabaseTests.ClaimAsync(connection, Worker, max);
    }
}
