using System.Net;
using System.Net.Http.Json;
using System.Security.Cryptography;
using Mediator;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;
using RenderOwl.Api.IntegrationTests.Infrastructure;
using RenderOwl.Application.Operations;
using RenderOwl.Application.Rendering;

namespace RenderOwl.Api.IntegrationTests;

/// <summary>An identical render of the same account finishes at once from the earlier output, with no engine run.</summary>
public sealed class MemoizationTests(ApiFixture fixture) : ApiTest(fixture)
{
    /// <summary>Counts the engine's runs (the real engine renders).</summary>
    private sealed class CountingEngine(IRenderEngine inner) : IRenderEngine
    {
        public int Runs;

        public Task<RenderOutput> RenderAsync(RenderJob job, IProgress<double>? progress, CancellationToken cancellationToken)
        {
            Interlocked.Increment(ref Runs);
            return inner.RenderAsync(job, progress, cancellationToken);
        }
    }

    private static object Body(bool? cache = null) => new
    {
        composition = new
        {
            duration = 1, background = "#202020",
            layers = new object[] { new { type = "color", color = "#ff8800", start = 0, duration = 0.5 }, new { type = "text", text = "Same", start = 0 } },
        },
        output_settings = new { format = "mp4", width = 64, height = 64, fps = 5 },
        cache,
    };

    [Fact]
    public async Task An_identical_render_is_finished_at_once_from_the_earlier_output_and_not_counted()
    {
        CountingEngine? engine = null;
        await using var worker = Fixture.CreateFactory(Renders.WorkerWith(("Tiers:Limits:free:RendersPerHour", "1")))
            .WithWebHostBuilder(b => b.ConfigureTestServices(s =>
            {
                var real = s.Single(d => d.ServiceType == typeof(IRenderEngine));
                s.Remove(real);
                s.AddSingleton<IRenderEngine>(sp => engine = new CountingEngine((IRenderEngine)ActivatorUtilities.CreateInstance(sp, real.ImplementationType!)));
            }));
        var (session, project) = await this.AccountWithProjectAsync(worker.CreateClient);
        var first = (await session.Client.SubmitAsync(project, Body()))["id"]!.GetValue<string>();
        var original = await session.Client.WaitForAsync(first, r => r.Status() is "succeeded" or "failed");
        Assert.Equal("succeeded", original.Status());
        Assert.False(original["cached"]!.GetValue<bool>());
        Assert.Equal(1, engine!.Runs);

        // The same composition again: succeeded in the 202 itself, its own id, the same bytes, no engine run, not counted
        // (the tier allows one render an hour and this is the second).
        var again = await session.Client.SubmitAsync(project, Body());
        var second = again["id"]!.GetValue<string>();
        Assert.NotEqual(first, second);
        Assert.Equal("succeeded", again.Status());
        Assert.True(again["cached"]!.GetValue<bool>());
        Assert.Equal(0, again["attempts"]!.GetValue<int>());
        Assert.Equal(0, again["run_ms"]!.GetValue<long>());
        Assert.Equal(original["output"]!["sha256"]!.GetValue<string>(), again["output"]!["sha256"]!.GetValue<string>());
        Assert.Equal($"/v1/renders/{second}/poster", again["output"]!["poster_url"]!.GetValue<string>());
        var bytes = await session.Client.GetByteArrayAsync($"/v1/renders/{second}/output");
        Assert.Equal(original["output"]!["sha256"]!.GetValue<string>(), Convert.ToHexStringLower(SHA256.HashData(bytes)));
        var history = (await (await session.Client.GetAsync($"/v1/renders/{second}/events")).ReadJsonAsync()).AsArray();
        Assert.Equal(["queued", "succeeded"], history.Select(e => e!["status"]!.GetValue<string>()));
        Assert.Equal(1, engine.Runs);
        var usage = (await (await session.Client.GetAsync("/v1/me")).ReadJsonAsync())["usage"]!;
        Assert.Equal(1, usage["renders_last_hour"]!.GetValue<int>());

        // "cache": false asks for a real render: it counts, and the tier's one render an hour is used up.
        var fresh = await session.Client.PostAsJsonAsync($"/v1/projects/{project}/renders", Body(cache: false));
        await fresh.AssertProblemAsync(HttpStatusCode.TooManyRequests, "render-quota-exceeded");
        Assert.Equal(1, engine.Runs);
    }

    [Fact]
    public async Task An_expired_earlier_output_is_not_reused_and_retention_of_one_copy_leaves_the_other()
    {
        await using var worker = Fixture.CreateFactory(Renders.Worker);
        var (session, project) = await this.AccountWithProjectAsync(worker.CreateClient);
        var first = (await session.Client.SubmitAsync(project, Body()))["id"]!.GetValue<string>();
        Assert.Equal("succeeded", (await session.Client.WaitForAsync(first, r => r.Status() is "succeeded" or "failed")).Status());
        var copy = await session.Client.SubmitAsync(project, Body());
        Assert.True(copy["cached"]!.GetValue<bool>());
        var second = copy["id"]!.GetValue<string>();

        // Retention removes the first render's files: the copy's own files stay and download.
        await ExecuteAsync($"UPDATE rendering.renders SET finished_at = now() - interval '31 days' WHERE id = '{Id(first)}'");
        var removed = await worker.Services.GetRequiredService<ISender>().Send(new ApplyRetentionCommand());
        Assert.Equal(1, removed["render_outputs"]);
        Assert.Equal(HttpStatusCode.Gone, (await session.Client.GetAsync($"/v1/renders/{first}/output")).StatusCode);
        var kept = await session.Client.GetAsync($"/v1/renders/{second}/output");
        Assert.Equal(HttpStatusCode.OK, kept.StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await session.Client.GetAsync($"/v1/renders/{second}/poster")).StatusCode);

        // With every earlier output expired, the same composition is rendered again.
        await ExecuteAsync($"UPDATE rendering.renders SET output_expired_at = now() WHERE id = '{Id(second)}'");
        var third = await session.Client.SubmitAsync(project, Body());
        Assert.False(third["cached"]!.GetValue<bool>());
        Assert.Equal("queued", third.Status());
        Assert.Equal("succeeded", (await session.Client.WaitForAsync(third["id"]!.GetValue<string>(), r => r.Status() is "succeeded" or "failed")).Status());
    }

    [Fact]
    public async Task Renders_of_another_account_or_with_other_settings_are_not_reused()
    {
        await using var worker = Fixture.CreateFactory(Renders.Worker);
        var (session, project) = await this.AccountWithProjectAsync(worker.CreateClient);
        var (other, otherProject) = await this.AccountWithProjectAsync(worker.CreateClient);
        var first = (await session.Client.SubmitAsync(project, Body()))["id"]!.GetValue<string>();
        Assert.Equal("succeeded", (await session.Client.WaitForAsync(first, r => r.Status() is "succeeded" or "failed")).Status());
        Assert.False((await other.Client.SubmitAsync(otherProject, Body()))["cached"]!.GetValue<bool>());
        var changed = new
        {
            composition = new { duration = 1, background = "#202020", layers = new object[] { new { type = "color", color = "#ff8800", start = 0, duration = 0.5 }, new { type = "text", text = "Same", start = 0 } } },
            output_settings = new { format = "mp4", width = 64, height = 64, fps = 10 },
        };
        Assert.False((await session.Client.SubmitAsync(project, changed))["cached"]!.GetValue<bool>());
    }

    private static Guid Id(string renderId) => RenderOwl.Domain.Common.RenderId.Parse(renderId, null).Value;

    private async Task ExecuteAsync(string sql)
    {
        await using var connection = new NpgsqlConnection(Fixture.ConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        await command.ExecuteNonQueryAsync();
    }
}
