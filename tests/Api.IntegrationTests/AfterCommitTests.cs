using System.Data.Common;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.AspNetCore.TestHost;
using Microsoft.EntityFrameworkCore.Diagnostics;
using Microsoft.Extensions.DependencyInjection;
using RenderOwl.Api.IntegrationTests.Infrastructure;
using RenderOwl.Infrastructure.Persistence;

namespace RenderOwl.Api.IntegrationTests;

/// <summary>Side effects that must follow a commit run after it (cache invalidation, file deletion).</summary>
public sealed class AfterCommitTests(ApiFixture fixture) : ApiTest(fixture)
{
    /// <summary>Once armed, holds the next commit (after the handler ran, before the transaction commits) until released.</summary>
    private sealed class PauseBeforeCommit : DbTransactionInterceptor
    {
        private int _armed;

        public TaskCompletionSource Reached { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
        public TaskCompletionSource Release { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public void Arm() => Interlocked.Exchange(ref _armed, 1);

        public override async ValueTask<InterceptionResult> TransactionCommittingAsync(DbTransaction transaction, TransactionEventData eventData, InterceptionResult result,
            CancellationToken cancellationToken = default)
        {
            if (Interlocked.Exchange(ref _armed, 0) == 1)
            {
                Reached.TrySetResult();
                await Release.Task;
            }
            return result;
        }
    }

    private WebApplicationFactory<Program> Paused(PauseBeforeCommit gate)
        => Fixture.CreateFactory().WithWebHostBuilder(b => b.ConfigureTestServices(s => s.ConfigureDbContext<AppDbContext>(o => o.AddInterceptors(gate))));

    [Fact]
    public async Task A_lookup_racing_a_revocation_cannot_put_the_revoked_key_back_in_the_cache()
    {
        var gate = new PauseBeforeCommit();
        await using var paused = Paused(gate);
        await using var other = Fixture.CreateFactory();
        var session = await this.RegisterUserAsync(paused.CreateClient);
        var created = await (await session.Client.PostAsJsonAsync("/v1/api-keys", new { name = "raced" })).ReadJsonAsync();
        var withKey = other.CreateClient();
        withKey.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", created["key"]!.GetValue<string>());

        gate.Arm();
        var revoke = session.Client.DeleteAsync($"/v1/api-keys/{created["id"]!.GetValue<string>()}");
        await gate.Reached.Task.WaitAsync(TimeSpan.FromSeconds(30)); // the row is revoked but not committed
        // The racing lookup on another instance still sees the active row, and caches it.
        Assert.Equal(HttpStatusCode.OK, (await withKey.GetAsync("/v1/me")).StatusCode);
        gate.Release.SetResult();
        Assert.Equal(HttpStatusCode.NoContent, (await revoke).StatusCode);

        await (await withKey.GetAsync("/v1/me")).AssertProblemAsync(HttpStatusCode.Unauthorized, "unauthorized");
    }

    [Fact]
    public async Task An_asset_file_is_deleted_only_after_the_row_deletion_commits()
    {
        var gate = new PauseBeforeCommit();
        await using var factory = Paused(gate);
        var session = await this.RegisterUserAsync(factory.CreateClient);
        var project = (await session.Client.CreateProjectAsync("p"))["id"]!.GetValue<string>();
        var asset = (await (await session.Client.PostAsync($"/v1/projects/{project}/assets", TestMedia.Multipart(TestMedia.Png, "a.png", "image/png"))).ReadJsonAsync())["id"]!.GetValue<string>();

        var file = Path.Combine(Fixture.StoragePath, await Fixture.StorageKeyAsync(asset));
        Assert.True(File.Exists(file));
        gate.Arm();
        var delete = session.Client.DeleteAsync($"/v1/assets/{asset}");
        await gate.Reached.Task.WaitAsync(TimeSpan.FromSeconds(30));
        // While the delete is uncommitted (it could still roll back), the file is still there.
        var content = await (await factory.CreateClient().SendAsync(Authorized(session, $"/v1/assets/{asset}/content"))).Content.ReadAsByteArrayAsync();
        Assert.Equal(TestMedia.Png, content);
        gate.Release.SetResult();
        Assert.Equal(HttpStatusCode.NoContent, (await delete).StatusCode);
        await (await session.Client.GetAsync($"/v1/assets/{asset}")).AssertProblemAsync(HttpStatusCode.NotFound, "not-found");
        Assert.False(File.Exists(file), "the file went after the commit");
    }

    private static HttpRequestMessage Authorized(Session session, string url)
    {
        var request = new HttpRequestMessage(HttpMethod.Get, url);
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", session.AccessToken);
        return request;
    }
}
