using System.Net;
using RenderOwl.Api.IntegrationTests.Infrastructure;

namespace RenderOwl.Api.IntegrationTests;

/// <summary>A render's manifest: what made its output, and two renders of one manifest give the same bytes.</summary>
public sealed class ManifestTests(ApiFixture fixture) : ApiTest(fixture)
{
    [Fact]
    public async Task Two_renders_of_the_same_request_have_one_manifest_and_the_same_output_hash()
    {
        await using var worker = Fixture.CreateFactory(Renders.Worker);
        var (session, project) = await this.AccountWithProjectAsync(worker.CreateClient);
        var queued = (await session.Client.SubmitAsync(project, Renders.Small()))["id"]!.GetValue<string>();
        await (await session.Client.GetAsync($"/v1/renders/{queued}/manifest")).AssertProblemAsync(HttpStatusCode.Conflict, "render-not-finished");
        var first = await session.Client.WaitForAsync(queued, r => r.Status() == "succeeded");
        var again = (await session.Client.SubmitAsync(project, Renders.Small()))["id"]!.GetValue<string>();
        var second = await session.Client.WaitForAsync(again, r => r.Status() == "succeeded");

        var a = await (await session.Client.GetAsync($"/v1/renders/{queued}/manifest")).ReadJsonAsync();
        var b = await (await session.Client.GetAsync($"/v1/renders/{again}/manifest")).ReadJsonAsync();
        Assert.Matches("^[0-9a-f]{64}$", a["composition_sha256"]!.GetValue<string>());
        Assert.Equal(first["output"]!["sha256"]!.GetValue<string>(), a["output_sha256"]!.GetValue<string>());
        Assert.Equal(a.ToJsonString(), b.ToJsonString()); // same composition, settings, engine, arguments — and output bytes
        Assert.Equal(first["output"]!["sha256"]!.GetValue<string>(), second["output"]!["sha256"]!.GetValue<string>());
        var arguments = a["engine"]!["arguments"]!.AsArray().Select(x => x!.GetValue<string>()).ToList();
        Assert.Contains("{output}", arguments);
        Assert.Contains("+bitexact", arguments);
        Assert.False(string.IsNullOrEmpty(a["engine"]!["ffmpeg_version"]!.GetValue<string>()));

        var other = await this.RegisterUserAsync(worker.CreateClient);
        await (await other.Client.GetAsync($"/v1/renders/{queued}/manifest")).AssertProblemAsync(HttpStatusCode.NotFound, "not-found");
    }
}
