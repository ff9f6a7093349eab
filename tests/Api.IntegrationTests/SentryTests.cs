using System.Collections.Concurrent;
using System.IO.Compression;
using System.Net;
using System.Text;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using RenderOwl.Api.IntegrationTests.Infrastructure;

namespace RenderOwl.Api.IntegrationTests;

/// <summary>Sentry against a receiver on loopback standing in for its ingest endpoint (the DSN points at it).</summary>
public sealed class SentryTests(ApiFixture fixture) : ApiTest(fixture)
{
    [Fact]
    public async Task A_500_reaches_Sentry_with_its_request_id_route_and_user_and_no_secret_while_a_404_and_a_429_do_not()
    {
        var envelopes = new ConcurrentQueue<string>();
        await using var ingest = await LoopbackServer.StartAsync(app => app.MapPost("/api/{project}/envelope/", async (HttpContext http) =>
        {
            Stream body = http.Request.Body;
            if (http.Request.Headers.ContentEncoding.ToString().Contains("gzip", StringComparison.OrdinalIgnoreCase))
            {
                body = new GZipStream(body, CompressionMode.Decompress);
            }
            using var reader = new StreamReader(body, Encoding.UTF8);
            envelopes.Enqueue(await reader.ReadToEndAsync());
            return Results.Ok(new { id = Guid.NewGuid().ToString("N") });
        }));
        await using var factory = TestOnlyController.With(Fixture.CreateFactory(new Dictionary<string, string?>
        {
            ["Sentry:Dsn"] = $"http://0123456789abcdef0123456789abcdef@127.0.0.1:{ingest.Port}/42",
            // The SDK is process-wide: while this host has it on, the other test hosts' error logs go out too; a
            // queue of the default 30 would drop this test's events among theirs.
            ["Sentry:MaxQueueItems"] = "100000",
            ["RateLimiting:Enabled"] = "true",
            ["RateLimiting:Anonymous:RequestsPerMinute"] = "1",
            ["RateLimiting:Anonymous:Burst"] = "1",
        }));
        var session = await this.RegisterUserAsync(factory.CreateClient);

        var failed = await session.Client.SendAsync(TestHttp.Request(HttpMethod.Get, "/v1/test-only/fail-with-secrets", null, ("X-Request-Id", "sentry-500")));
        Assert.Equal(HttpStatusCode.InternalServerError, failed.StatusCode);
        var missing = await session.Client.SendAsync(TestHttp.Request(HttpMethod.Get, "/v1/projects/proj_01KBKB6QX4ZQ2W1D6T0Y9PZ7JE", null, ("X-Request-Id", "sentry-404")));
        await missing.AssertProblemAsync(HttpStatusCode.NotFound, "not-found");
        var anonymous = factory.CreateClient();
        HttpResponseMessage limited;
        var tries = 0;
        do
        {
            limited = await anonymous.SendAsync(TestHttp.Request(HttpMethod.Get, "/v1/meta/errors", null, ("X-Request-Id", "sentry-429")));
        }
        while (limited.StatusCode != HttpStatusCode.TooManyRequests && ++tries < 5);
        await limited.AssertProblemAsync(HttpStatusCode.TooManyRequests, "rate-limited");
        // A second fault after them: events go out in order, so once it is in, a 404 or 429 event would be too.
        Assert.Equal(HttpStatusCode.InternalServerError,
            (await session.Client.SendAsync(TestHttp.Request(HttpMethod.Get, "/v1/test-only/fail", null, ("X-Request-Id", "sentry-last")))).StatusCode);

        try
        {
            await Eventually.UntilAsync(() => Task.FromResult(envelopes.Any(e => e.Contains("sentry-last", StringComparison.Ordinal))),
                TimeSpan.FromSeconds(30), "the last fault's event reached the ingest endpoint");
        }
        catch (Exception ex)
        {
            var what = envelopes.Select(e => System.Text.RegularExpressions.Regex.Match(e, "\"logger\":\"[^\"]*\"|\"formatted\":\"[^\"]{0,160}").Value)
                .GroupBy(m => m).Select(g => $"{g.Count()} x {g.Key}");
            throw new Xunit.Sdk.XunitException($"{ex.Message}; SDK enabled: {Sentry.SentrySdk.IsEnabled}; {envelopes.Count} envelope(s):\n" + string.Join("\n", what));
        }
        var faults = envelopes.Where(e => e.Contains("\"sentry-500\"", StringComparison.Ordinal)).ToList();
        Assert.True(faults.Count == 1, string.Join("\n----\n", faults));
        var fault = faults[0];
        Assert.Contains("\"type\":\"event\"", fault, StringComparison.Ordinal);
        Assert.Contains("GET /v1/test-only/fail-with-secrets", fault, StringComparison.Ordinal);
        Assert.Contains(session.UserId, fault, StringComparison.Ordinal);
        Assert.Contains("InvalidOperationException", fault, StringComparison.Ordinal);
        foreach (var secret in new[] { session.AccessToken, session.Email, session.Password, "ada.lovelace@example.com" })
        {
            Assert.All(envelopes, e => Assert.DoesNotContain(secret, e, StringComparison.Ordinal));
        }
        var leaked = envelopes.Where(e => e.Contains("sentry-404", StringComparison.Ordinal) || e.Contains("sentry-429", StringComparison.Ordinal)).ToList();
        Assert.True(leaked.Count == 0, string.Join("\n----\n", leaked));
    }

    [Fact]
    public async Task Without_a_DSN_no_Sentry_middleware_or_log_provider_is_in_the_request_path()
    {
        // Without a DSN the SDK sends nothing; its middleware and logger provider used to run on every request anyway.
        await using var factory = Fixture.CreateFactory();
        Assert.Equal(HttpStatusCode.OK, (await factory.CreateClient().GetAsync("/live")).StatusCode);
        var filters = factory.Services.GetServices<Microsoft.AspNetCore.Hosting.IStartupFilter>().Select(f => f.GetType().FullName).ToList();
        var providers = factory.Services.GetServices<Microsoft.Extensions.Logging.ILoggerProvider>().Select(p => p.GetType().FullName).ToList();
        Assert.DoesNotContain(filters, name => name!.StartsWith("Sentry", StringComparison.Ordinal));
        Assert.DoesNotContain(providers, name => name!.StartsWith("Sentry", StringComparison.Ordinal));

        await using var withDsn = Fixture.CreateFactory(new Dictionary<string, string?> { ["Sentry:Dsn"] = "http://0123456789abcdef0123456789abcdef@127.0.0.1:9/42" });
        Assert.Equal(HttpStatusCode.OK, (await withDsn.CreateClient().GetAsync("/live")).StatusCode);
        Assert.Contains(withDsn.Services.GetServices<Microsoft.AspNetCore.Hosting.IStartupFilter>(), f => f.GetType().FullName!.StartsWith("Sentry", StringComparison.Ordinal));
    }
}
