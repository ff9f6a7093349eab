using System.Net;
using RenderOwl.Api.IntegrationTests.Infrastructure;
using Serilog.Events;

namespace RenderOwl.Api.IntegrationTests;

/// <summary>
/// Request summary lines under load: failures and slow requests are always written, successful fast ones up to
/// Logging:SuccessfulRequestsPerSecond a second, and a line accounts for every one left out.
/// </summary>
public sealed class RequestLogSamplingTests(ApiFixture fixture) : ApiTest(fixture)
{
    private const string RequestLogger = "Serilog.AspNetCore.RequestLoggingMiddleware";

    [Fact]
    public async Task Successful_requests_over_the_budget_are_counted_not_logged_and_failures_are_all_logged()
    {
        var capture = new LogCapture();
        await using var factory = capture.Attach(Fixture.CreateFactory(new Dictionary<string, string?>
        {
            ["Serilog:MinimumLevel:Default"] = "Information",
            ["Logging:SuccessfulRequestsPerSecond"] = "3",
        }));
        var client = factory.CreateClient();
        var clock = System.Diagnostics.Stopwatch.StartNew();

        for (var i = 0; i < 30; i++)
        {
            Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/live")).StatusCode);
        }
        for (var i = 0; i < 8; i++)
        {
            Assert.Equal(HttpStatusCode.Unauthorized, (await client.GetAsync($"/v1/projects?n={i}")).StatusCode); // no credentials
        }
        await Task.Delay(1100); // into the next second: its first request reports what the last one left out
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/live")).StatusCode);
        var secondsSpanned = (int)Math.Ceiling(clock.Elapsed.TotalSeconds) + 1;

        var successLines = await LinesAsync(capture, "200", atLeast: 4);
        var leftOut = capture.Events.Where(e => e.MessageTemplate.Text.StartsWith("Request log sampling", StringComparison.Ordinal))
            .Sum(e => int.Parse(LogCapture.Property(e, "RequestsNotLogged")!, System.Globalization.CultureInfo.InvariantCulture));
        Assert.InRange(successLines, 4, 3 * secondsSpanned); // at most 3 in each second the requests spanned
        Assert.Equal(31, successLines + leftOut); // every request either has its line or is counted in a summary
        Assert.Equal(8, await LinesAsync(capture, "401", atLeast: 8)); // failures are never sampled
    }

    [Fact]
    public async Task A_slow_request_is_always_logged()
    {
        var capture = new LogCapture();
        await using var factory = capture.Attach(Fixture.CreateFactory(new Dictionary<string, string?>
        {
            ["Serilog:MinimumLevel:Default"] = "Information",
            ["Logging:SuccessfulRequestsPerSecond"] = "1",
            ["Logging:SlowRequestMs"] = "0", // every request counts as slow
        }));
        var client = factory.CreateClient();
        for (var i = 0; i < 10; i++)
        {
            Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/live")).StatusCode);
        }
        Assert.Equal(10, await LinesAsync(capture, "200", atLeast: 10));
    }

    [Fact]
    public async Task Zero_logs_every_request()
    {
        var capture = new LogCapture();
        await using var factory = capture.Attach(Fixture.CreateFactory(new Dictionary<string, string?>
        {
            ["Serilog:MinimumLevel:Default"] = "Information",
            ["Logging:SuccessfulRequestsPerSecond"] = "0",
        }));
        var client = factory.CreateClient();
        for (var i = 0; i < 25; i++)
        {
            Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/live")).StatusCode);
        }
        Assert.Equal(25, await LinesAsync(capture, "200", atLeast: 25));
    }

    /// <summary>Request summary lines with the status (a line is written as the response completes, which can be after the client has it).</summary>
    private static async Task<int> LinesAsync(LogCapture capture, string status, int atLeast)
    {
        int Count() => capture.Events.Count(e => LogCapture.Property(e, "SourceContext") == RequestLogger
            && LogCapture.Property(e, "StatusCode") == status && e.Level >= LogEventLevel.Information);
        for (var i = 0; i < 100 && Count() < atLeast; i++)
        {
            await Task.Delay(20);
        }
        await Task.Delay(100);
        return Count();
    }
}
