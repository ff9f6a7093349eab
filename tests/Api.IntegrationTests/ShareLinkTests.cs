using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Security.Cryptography;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;
using RenderOwl.Api.IntegrationTests.Infrastructure;
using Serilog.Events;

namespace RenderOwl.Api.IntegrationTests;

/// <summary>Share links: a signed, expiring, revocable URL to a render's output that works without credentials.</summary>
public sealed class ShareLinkTests(ApiFixture fixture) : ApiTest(fixture)
{
    /// <summary>The real clock moved on by <see cref="Offset"/>: links expire without waiting.</summary>
    private sealed class ShiftedClock : TimeProvider
    {
        public TimeSpan Offset { get; set; }

        public override DateTimeOffset GetUtcNow() => base.GetUtcNow() + Offset;
    }

    [Fact]
    public async Task A_link_works_anonymously_with_range_until_it_expires_or_is_revoked()
    {
        var clock = new ShiftedClock();
        var capture = new LogCapture();
        await using var worker = capture.Attach(Fixture.CreateFactory(Renders.WorkerWith(("Serilog:MinimumLevel:Default", "Information")))
            .WithWebHostBuilder(b => b.ConfigureTestServices(s => s.AddSingleton<TimeProvider>(clock))));
        var (session, project) = await this.AccountWithProjectAsync(worker.CreateClient);
        var render = (await session.Client.SubmitAsync(project, Renders.Small()))["id"]!.GetValue<string>();
        var done = await session.Client.WaitForAsync(render, r => r.Status() == "succeeded");
        var sha = done["output"]!["sha256"]!.GetValue<string>();

        var link = await (await session.Client.PostAsJsonAsync($"/v1/renders/{render}/share", new { expires_in = 120 })).ReadJsonAsync();
        var url = new Uri(link["url"]!.GetValue<string>());
        Assert.StartsWith("/v1/shared/", url.AbsolutePath, StringComparison.Ordinal);
        Assert.InRange((link["expires_at"]!.GetValue<DateTimeOffset>() - DateTimeOffset.UtcNow).TotalSeconds, 110, 121);

        var anonymous = worker.CreateClient(); // no token, no key
        var whole = await anonymous.GetAsync(url.PathAndQuery);
        Assert.Equal(HttpStatusCode.OK, whole.StatusCode);
        Assert.Equal(sha, Convert.ToHexStringLower(SHA256.HashData(await whole.Content.ReadAsByteArrayAsync())));
        var part = new HttpRequestMessage(HttpMethod.Get, url.PathAndQuery);
        part.Headers.Range = new RangeHeaderValue(0, 99);
        var partial = await anonymous.SendAsync(part);
        Assert.Equal(HttpStatusCode.PartialContent, partial.StatusCode);
        Assert.Equal(100, (await partial.Content.ReadAsByteArrayAsync()).Length);

        // A changed signature or expiry is not a link of this server: 404, nothing said about the render.
        var tampered = url.AbsolutePath[..^3] + (url.AbsolutePath.EndsWith("AAA", StringComparison.Ordinal) ? "BBB" : "AAA");
        await (await anonymous.GetAsync(tampered)).AssertProblemAsync(HttpStatusCode.NotFound, "not-found");
        var parts = url.AbsolutePath.Split('.');
        parts[1] = (long.Parse(parts[1], System.Globalization.CultureInfo.InvariantCulture) + 86_400).ToString(System.Globalization.CultureInfo.InvariantCulture);
        await (await anonymous.GetAsync(string.Join('.', parts))).AssertProblemAsync(HttpStatusCode.NotFound, "not-found");

        clock.Offset = TimeSpan.FromSeconds(121);
        await (await anonymous.GetAsync(url.PathAndQuery)).AssertProblemAsync(HttpStatusCode.Gone, "share-link-expired");
        clock.Offset = TimeSpan.Zero;

        var second = new Uri((await (await session.Client.PostAsJsonAsync($"/v1/renders/{render}/share", new { })).ReadJsonAsync())["url"]!.GetValue<string>());
        Assert.Equal(HttpStatusCode.OK, (await anonymous.GetAsync(second.PathAndQuery)).StatusCode);
        Assert.Equal(HttpStatusCode.NoContent, (await session.Client.DeleteAsync($"/v1/renders/{render}/share")).StatusCode);
        await (await anonymous.GetAsync(second.PathAndQuery)).AssertProblemAsync(HttpStatusCode.Gone, "share-link-revoked");
        var third = new Uri((await (await session.Client.PostAsJsonAsync($"/v1/renders/{render}/share", new { })).ReadJsonAsync())["url"]!.GetValue<string>());
        Assert.Equal(HttpStatusCode.OK, (await anonymous.GetAsync(third.PathAndQuery)).StatusCode); // links made after the revocation work

        // The links' signatures reach no log line.
        var signatures = new[] { url, second, third }.Select(u => u.AbsolutePath.Split('.')[^1]).ToList();
        Assert.NotEmpty(capture.Events);
        foreach (var e in capture.Events)
        {
            var text = e.RenderMessage() + string.Join(' ', e.Properties.Select(p => p.Value.ToString()));
            Assert.DoesNotContain(signatures, text.Contains);
        }
        Assert.Contains(capture.Events, e => e.Level >= LogEventLevel.Information && (e.RenderMessage() + string.Join(' ', e.Properties.Values)).Contains("/v1/shared/", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Only_the_owner_shares_only_a_finished_render_and_only_for_a_bounded_time()
    {
        var (session, project) = await this.AccountWithProjectAsync(Anonymous);
        var render = (await session.Client.SubmitAsync(project, Renders.Small()))["id"]!.GetValue<string>(); // queued: no worker here
        await (await session.Client.PostAsJsonAsync($"/v1/renders/{render}/share", new { })).AssertProblemAsync(HttpStatusCode.Conflict, "render-not-finished");
        var tooShort = await (await session.Client.PostAsJsonAsync($"/v1/renders/{render}/share", new { expires_in = 30 })).AssertProblemAsync(HttpStatusCode.BadRequest, "validation-failed");
        Assert.Equal("expires_in", tooShort["errors"]![0]!["field"]!.GetValue<string>());
        await (await session.Client.PostAsJsonAsync($"/v1/renders/{render}/share", new { expires_in = 31 * 24 * 3600 })).AssertProblemAsync(HttpStatusCode.BadRequest, "validation-failed");

        var other = await this.RegisterUserAsync(Anonymous);
        await (await other.Client.PostAsJsonAsync($"/v1/renders/{render}/share", new { })).AssertProblemAsync(HttpStatusCode.NotFound, "not-found");
        await (await other.Client.DeleteAsync($"/v1/renders/{render}/share")).AssertProblemAsync(HttpStatusCode.NotFound, "not-found");
        await (await Anonymous().PostAsJsonAsync($"/v1/renders/{render}/share", new { })).AssertProblemAsync(HttpStatusCode.Unauthorized, "unauthorized");
        await (await Anonymous().GetAsync("/v1/shared/not-a-link")).AssertProblemAsync(HttpStatusCode.NotFound, "not-found");
        await (await Anonymous().GetAsync("/v1/shared/%20")).AssertProblemAsync(HttpStatusCode.NotFound, "not-found"); // blank: bound as null
    }
}
