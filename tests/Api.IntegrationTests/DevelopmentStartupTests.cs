using System.Net;
using Microsoft.AspNetCore.Hosting;
using RenderOwl.Api.IntegrationTests.Infrastructure;

namespace RenderOwl.Api.IntegrationTests;

/// <summary>
/// <c>make run</c> starts in Development, where the host checks every service registration at start (ValidateOnBuild): a
/// service that cannot be built stops the process before it answers anything.
/// </summary>
public sealed class DevelopmentStartupTests(ApiFixture fixture) : ApiTest(fixture)
{
    [Fact]
    public async Task The_api_starts_in_Development_with_every_registration_buildable()
    {
        await using var factory = Fixture.CreateFactory(Renders.Worker);
        await using var development = factory.WithWebHostBuilder(b => b.UseEnvironment("Development"));
        var client = development.CreateClient();
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/live")).StatusCode);
    }
}
