using System.Net;
using System.Net.Http.Json;
using System.Text;
using RenderOwl.Api.IntegrationTests.Infrastructure;

namespace RenderOwl.Api.IntegrationTests;

/// <summary>Traces exported over OTLP/HTTP to a receiver on loopback: one trace from the render's submission to its webhook delivery.</summary>
public sealed class TracingTests(ApiFixture fixture) : ApiTest(fixture)
{
    [Fact]
    public async Task One_trace_holds_the_submission_the_claim_the_engine_run_and_the_webhook_attempt_of_a_render()
    {
        await using var collector = await OtlpReceiver.StartAsync();
        await using var hook = await WebhookReceiver.StartAsync();
        await using var worker = Fixture.CreateFactory(Renders.WorkerWith(
            ("OpenTelemetry:Otlp:Endpoint", collector.Endpoint), ("Webhooks:AllowPrivateTargets", "true")));
        var (session, project) = await this.AccountWithProjectAsync(worker.CreateClient);

        // The caller's own trace (W3C traceparent): RenderOwl's spans join it.
        var traceId = System.Diagnostics.ActivityTraceId.CreateRandom().ToHexString();
        var submit = new HttpRequestMessage(HttpMethod.Post, $"/v1/projects/{project}/renders")
        {
            Content = JsonContent.Create(new Dictionary<string, object>
            {
                ["composition"] = new { duration = 1, background = "#101820", layers = Array.Empty<object>() },
                ["output_settings"] = new { format = "mp4", width = 64, height = 64, fps = 5, quality = "standard" },
                ["webhook_url"] = hook.Url,
            }),
        };
        submit.Headers.Add("traceparent", $"00-{traceId}-{System.Diagnostics.ActivitySpanId.CreateRandom().ToHexString()}-01");
        var response = await session.Client.SendAsync(submit);
        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        Assert.Equal(traceId, response.Headers.GetValues("X-Trace-Id").Single());
        var render = (await response.ReadJsonAsync())["id"]!.GetValue<string>();
        await hook.NextAsync(within: TimeSpan.FromSeconds(60));

        string[] wanted = ["render.claim", "render.run", "ffmpeg", "webhook.attempt"];
        List<ReceivedSpan> spans;
        try
        {
            spans = await Eventually.UntilAsync(() => Task.FromResult(collector.Spans.Where(s => s.TraceId == traceId).ToList()),
                s => wanted.All(w => s.Any(x => x.Name == w)) && s.Any(x => x.Name == "POST v1/projects/{project_id}/renders"),
                TimeSpan.FromSeconds(30), "the trace's spans were exported");
        }
        catch (Exception ex)
        {
            throw new Xunit.Sdk.XunitException($"{ex.Message}; trace {traceId}; received:\n"
                + string.Join("\n", collector.Spans.Select(s => $"{s.TraceId} {s.SpanId} <- {s.ParentSpanId} {s.Name}")));
        }

        var request = spans.Single(s => s.Name == "POST v1/projects/{project_id}/renders");
        var claim = spans.Single(s => s.Name == "render.claim");
        var run = spans.Single(s => s.Name == "render.run");
        var ffmpeg = spans.First(s => s.Name == "ffmpeg");
        var attempt = spans.Single(s => s.Name == "webhook.attempt");
        // The claim, the run and the attempt are children of the submitting request's span; ffmpeg is the run's.
        Assert.Equal(request.SpanId, claim.ParentSpanId);
        Assert.Equal(request.SpanId, run.ParentSpanId);
        Assert.Equal(request.SpanId, attempt.ParentSpanId);
        Assert.Equal(run.SpanId, ffmpeg.ParentSpanId);
        Assert.Equal(render, run.Attributes["render.id"]);
        Assert.Equal(0L, ffmpeg.Attributes["process.exit_code"]);
        Assert.Equal(200L, attempt.Attributes["http.response.status_code"]);
        // The webhook's POST itself is an HTTP client span under the attempt; the database commands are spans too.
        Assert.Contains(spans, s => s.ParentSpanId == attempt.SpanId && s.Name == "POST");
        Assert.Contains(collector.Spans, s => s.Attributes.ContainsKey("db.system") || s.Attributes.ContainsKey("db.system.name"));
        // Background polling (a client span with no parent) is not sampled: every database span has a parent.
        Assert.DoesNotContain(collector.Spans, s => s.ParentSpanId.Length == 0 && (s.Attributes.ContainsKey("db.system") || s.Attributes.ContainsKey("db.system.name")));
        Assert.Single(collector.Spans, s => s.Name == "hangfire.job WebhookAttemptJob.RunAsync" && s.ParentSpanId.Length == 0);
        Assert.Equal("renderowl", request.Resource["service.name"]);
        Assert.Equal("Testing", request.Resource["deployment.environment"]);
        Assert.True(request.Resource.ContainsKey("service.version"));
    }

    [Fact]
    public async Task Log_events_go_to_the_collector_over_OTLP_when_asked_with_their_trace_and_masked()
    {
        await using var collector = await OtlpReceiver.StartAsync();
        await using var factory = Fixture.CreateFactory(new Dictionary<string, string?>
        {
            ["OpenTelemetry:Otlp:Endpoint"] = collector.Endpoint,
            ["OpenTelemetry:Otlp:ExportLogs"] = "true",
            ["Serilog:MinimumLevel:Default"] = "Information",
        });
        var session = await this.RegisterUserAsync(factory.CreateClient);
        var rejected = await session.Client.SendAsync(TestHttp.Request(HttpMethod.Post, "/v1/projects", new { name = "" }, ("X-Request-Id", "otlp-logged")));
        Assert.Equal(HttpStatusCode.BadRequest, rejected.StatusCode);
        var traceId = rejected.Headers.GetValues("X-Trace-Id").Single();

        var logged = Encoding.UTF8.GetBytes("otlp-logged");
        var batch = await Eventually.UntilAsync(() => Task.FromResult(collector.LogRequests.FirstOrDefault(b => b.AsSpan().IndexOf(logged) >= 0)),
            b => b is not null, TimeSpan.FromSeconds(30), "the request's log lines reached the collector");
        Assert.True(batch!.AsSpan().IndexOf(Encoding.UTF8.GetBytes("renderowl")) >= 0); // service.name
        Assert.True(batch.AsSpan().IndexOf(Convert.FromHexString(traceId)) >= 0, "the log records carry the request's trace id");
        Assert.All(collector.LogRequests, b => Assert.True(b.AsSpan().IndexOf(Encoding.UTF8.GetBytes(session.Email)) < 0, "an e-mail address reached the collector"));
    }
}
