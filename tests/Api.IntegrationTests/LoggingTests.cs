using Microsoft.Extensions.DependencyInjection;
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

    [Fact]
    public async Task A_cached_read_writes_one_log_line_at_the_default_level()
    {
        var capture = new LogCapture();
        // The level the product ships with (the test fixture runs at Warning).
        await using var factory = capture.Attach(Fixture.CreateFactory(new Dictionary<string, string?> { ["Serilog:MinimumLevel:Default"] = "Information" }));
        var session = await this.RegisterUserAsync(factory.CreateClient);
        var project = (await session.Client.CreateProjectAsync("logged"))["id"]!.GetValue<string>();
        Assert.Equal(HttpStatusCode.OK, (await session.Client.GetAsync($"/v1/projects/{project}")).StatusCode); // now cached

        var request = TestHttp.Request(HttpMethod.Get, $"/v1/projects/{project}", null, ("X-Request-Id", "cached-read"));
        Assert.Equal(HttpStatusCode.OK, (await session.Client.SendAsync(request)).StatusCode);

        // The request line only: the cache library's per-operation lines are below the default level (each cost a
        // formatted, masked JSON line — 15 of them per cached read, half the throughput, before they were).
        List<Serilog.Events.LogEvent> Lines() => capture.Events.Where(e => LogCapture.Property(e, "RequestId") == "cached-read").ToList();
        for (var i = 0; i < 100 && Lines().Count == 0; i++)
        {
            await Task.Delay(20); // the request line is written as the response completes, which can be after the client has it
        }
        await Task.Delay(100);
        var lines = Lines();
        Assert.True(lines.Count == 1, $"{lines.Count} lines:\n" + string.Join("\n", lines.Select(e => $"{e.Level} {LogCapture.Property(e, "SourceContext")} {e.RenderMessage()}")));
        Assert.Equal("Serilog.AspNetCore.RequestLoggingMiddleware", LogCapture.Property(lines[0], "SourceContext"));
    }

    [Fact]
    public async Task A_logger_is_made_once_per_category_and_still_writes()
    {
        // Authentication handlers are made per request and each asked the factory for a logger: Serilog's factory made
        // a new one every time. The host's factory now keeps one per category.
        var capture = new LogCapture();
        await using var factory = capture.Attach(Fixture.CreateFactory(new Dictionary<string, string?> { ["Serilog:MinimumLevel:Default"] = "Information" }));
        _ = factory.CreateClient();
        var loggers = factory.Services.GetRequiredService<Microsoft.Extensions.Logging.ILoggerFactory>();
        var first = loggers.CreateLogger("RenderOwl.Tests.Category");
        Assert.Same(first, loggers.CreateLogger("RenderOwl.Tests.Category"));
        Assert.NotSame(first, loggers.CreateLogger("RenderOwl.Tests.Other"));

        Microsoft.Extensions.Logging.LoggerExtensions.LogInformation(first, "written through a kept logger {Marker}", "kept-logger-marker");
        Assert.Contains(capture.Events, e => LogCapture.Property(e, "Marker") == "kept-logger-marker"
            && LogCapture.Property(e, "SourceContext") == "RenderOwl.Tests.Category");
    }
}
