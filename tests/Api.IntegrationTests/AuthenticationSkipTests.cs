using System.Net;
using System.Net.Http.Json;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;
using RenderOwl.Api.IntegrationTests.Infrastructure;

namespace RenderOwl.Api.IntegrationTests;

/// <summary>
/// A request without credentials skips the authentication handlers (the default scheme reads only Authorization and
/// X-API-Key), once the pipeline places authentication itself — WebApplication would otherwise add it again at the head
/// of the pipeline. Counted by wrapping the framework's handler provider, the one way handlers are reached.
/// </summary>
public sealed class AuthenticationSkipTests(ApiFixture fixture) : ApiTest(fixture)
{
    private sealed class Counter
    {
        public int Handlers;
    }

    private sealed class CountingHandlerProvider(IAuthenticationSchemeProvider schemes, Counter counter) : IAuthenticationHandlerProvider
    {
        private readonly AuthenticationHandlerProvider _inner = new(schemes);

        public Task<IAuthenticationHandler?> GetHandlerAsync(HttpContext context, string authenticationScheme)
        {
            Interlocked.Increment(ref counter.Handlers);
            return _inner.GetHandlerAsync(context, authenticationScheme);
        }
    }

    [Fact]
    public async Task Anonymous_requests_reach_no_authentication_handler_and_credentials_are_still_checked()
    {
        var counter = new Counter();
        await using var factory = Fixture.CreateFactory().WithWebHostBuilder(b => b.ConfigureTestServices(s =>
        {
            s.AddSingleton(counter);
            s.AddScoped<IAuthenticationHandlerProvider, CountingHandlerProvider>();
        }));
        using var anonymous = factory.CreateClient();

        Assert.Equal(HttpStatusCode.OK, (await anonymous.GetAsync("/live")).StatusCode);
        Assert.Equal(0, counter.Handlers);

        // Without credentials a protected route is still refused, with the bearer challenge.
        var refused = await anonymous.GetAsync("/v1/me");
        await refused.AssertProblemAsync(HttpStatusCode.Unauthorized, "unauthorized");
        Assert.Contains("Bearer", refused.Headers.WwwAuthenticate.ToString(), StringComparison.Ordinal);

        var register = await anonymous.PostAsJsonAsync("/v1/auth/register",
            new { email = $"user-{Guid.NewGuid():N}@example.com", password = "correct horse battery staple", name = "Skip" });
        var token = (await register.ReadJsonAsync())["access_token"]!.GetValue<string>();
        using var signedIn = factory.CreateClient();
        signedIn.DefaultRequestHeaders.Authorization = new("Bearer", token);
        var key = (await (await signedIn.PostAsJsonAsync("/v1/api-keys", new { name = "skip" })).ReadJsonAsync())["key"]!.GetValue<string>();

        // With credentials the handlers run — once per request (the policy scheme and the one it forwards to).
        var before = counter.Handlers;
        Assert.Equal(HttpStatusCode.OK, (await signedIn.GetAsync("/v1/me")).StatusCode);
        Assert.Equal(2, counter.Handlers - before);
        using var withKey = factory.CreateClient();
        withKey.DefaultRequestHeaders.Add("X-API-Key", key);
        Assert.Equal(HttpStatusCode.OK, (await withKey.GetAsync("/v1/me")).StatusCode);
        withKey.DefaultRequestHeaders.Remove("X-API-Key");
        withKey.DefaultRequestHeaders.Add("X-API-Key", key + "x");
        await (await withKey.GetAsync("/v1/me")).AssertProblemAsync(HttpStatusCode.Unauthorized, "unauthorized");
    }
}
