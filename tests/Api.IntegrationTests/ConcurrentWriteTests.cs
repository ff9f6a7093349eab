using System.Net;
using RenderOwl.Api.IntegrationTests.Infrastructure;

namespace RenderOwl.Api.IntegrationTests;

/// <summary>
/// Writers that race on one row: without If-Match the last write wins and every request succeeds (a 412 answers a
/// precondition the client sent, and it sent none); with a stale If-Match the write is refused. Found by the soak of
/// make bench: 4 clients PATCHing one project got 412 on one PATCH in six.
/// </summary>
public sealed class ConcurrentWriteTests(ApiFixture fixture) : ApiTest(fixture)
{
    [Fact]
    public async Task Concurrent_patches_without_If_Match_all_succeed_and_one_of_them_is_kept()
    {
        var session = await this.RegisterUserAsync(Anonymous);
        var id = (await session.Client.CreateProjectAsync("raced"))["id"]!.GetValue<string>();

        var patches = await Task.WhenAll(Enumerable.Range(0, 8).Select(i =>
            session.Client.SendAsync(TestHttp.Request(HttpMethod.Patch, $"/v1/projects/{id}", new { description = $"writer {i}" }))));

        var refusedBodies = string.Join("\n", await Task.WhenAll(patches.Where(p => p.StatusCode != HttpStatusCode.OK).Take(2).Select(p => p.Content.ReadAsStringAsync())));
        Assert.True(patches.All(p => p.StatusCode == HttpStatusCode.OK), refusedBodies);
        var kept = (await (await session.Client.GetAsync($"/v1/projects/{id}")).ReadJsonAsync())["description"]!.GetValue<string>();
        Assert.Matches("^writer [0-7]$", kept);
    }

    [Fact]
    public async Task Concurrent_patches_with_the_same_If_Match_let_one_through_and_refuse_the_rest_with_412()
    {
        var session = await this.RegisterUserAsync(Anonymous);
        var created = await session.Client.SendAsync(TestHttp.Request(HttpMethod.Post, "/v1/projects", new { name = "guarded" }));
        var id = (await created.ReadJsonAsync())["id"]!.GetValue<string>();
        var etag = created.Headers.ETag?.Tag ?? (await session.Client.GetAsync($"/v1/projects/{id}")).Headers.ETag!.Tag;

        var patches = await Task.WhenAll(Enumerable.Range(0, 12).Select(i =>
            session.Client.SendAsync(TestHttp.Request(HttpMethod.Patch, $"/v1/projects/{id}", new { description = $"guarded {i}" }, ("If-Match", etag)))));

        Assert.Equal(1, patches.Count(p => p.StatusCode == HttpStatusCode.OK));
        foreach (var refused in patches.Where(p => p.StatusCode != HttpStatusCode.OK))
        {
            await refused.AssertProblemAsync(HttpStatusCode.PreconditionFailed, "precondition-failed");
        }
    }
}
