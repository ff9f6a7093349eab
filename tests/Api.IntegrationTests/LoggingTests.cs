using System.Net;
using RenderOwl.Api.IntegrationTests.Infrastructure;

namespace RenderOwl.Api.IntegrationTests;

public sealed class LoggingTests(ApiFixture fixture) : ApiTest(fixture)
{
    [Fact]
    public async Task Every_log_line_of_a_request_carries_its_request_and_trace_ids()
    {
        var capture = new LogCapture();
        await using var factory = capture.Attach(Fixture.CreateFactory(new Dictionary<string, string?> { ["Serilog:MinimumLevel:Default"] = "Debug" }));
        var client = factory.CreateClient();
        var session = await this.RegisterUserAsync(factory.CreateClient);

        var request = TestHttp.Request(HttpMethod.Post, "/v1/projects", new { name = "" }, ("X-Request-Id", "req-under-test"));
        var response = await session.Client.SendAsync(request);
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var traceId = response.Headers.GetValues("X-Trace-Id").Single();

        var lines = capture.Events.Where(e => LogCapture.Property(e, "RequestId") == "req-under-test").ToList();
        Assert.True(lines.Count >= 2, $"expected the handler's and the request log lines, got {lines.Count}:\n"
            + string.Join("\n", capture.Events.Select(e => $"{e.Level} {LogCapture.Property(e, "SourceContext")} [{LogCapture.Property(e, "RequestId")}] {e.MessageTemplate.Text}")));
        Assert.All(lines, e => Assert.Equal(traceId, LogCapture.Property(e, "TraceId")));
        // The rejection is logged at Information (4xx are not errors), and the request line names the status.
        Assert.Contains(lines, e => e.MessageTemplate.Text.Contains("rejected", StringComparison.Ordinal) && e.Level == Serilog.Events.LogEventLevel.Information);
        Assert.Contains(lines, e => LogCapture.Property(e, "StatusCode") == "400");
        Assert.DoesNotContain(capture.Events, e => e.Level >= Serilog.Events.LogEventLevel.Error);
    }
}
