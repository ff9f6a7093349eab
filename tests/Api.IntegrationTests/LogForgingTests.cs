using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using RenderOwl.Api.IntegrationTests.Infrastructure;
using Serilog.Formatting.Compact;
using Serilog.Formatting.Display;

namespace RenderOwl.Api.IntegrationTests;

/// <summary>No request can write a line of its own into the logs (docs/security.md, "Forged log lines").</summary>
public sealed class LogForgingTests(ApiFixture fixture) : ApiTest(fixture)
{
    private const string Forged = "[16:45:10 ERR] FORGED";

    [Fact]
    public async Task Control_characters_in_a_path_a_header_and_a_body_field_give_one_log_line_per_event()
    {
        var capture = new LogCapture();
        await using var factory = capture.Attach(Fixture.CreateFactory(new Dictionary<string, string?> { ["Serilog:MinimumLevel:Default"] = "Debug" }));
        var client = factory.CreateClient();

        // The path, decoded: CR LF, a forged line, an ANSI colour escape. No credentials needed.
        await client.GetAsync("/v1/x%0d%0a%5B16:45:10%20ERR%5D%20FORGED%1b%5B31m");
        // A header: the request id is logged when it is sane; this one is not, and must not leak as it is.
        var request = new HttpRequestMessage(HttpMethod.Get, "/live");
        request.Headers.TryAddWithoutValidation("X-Request-Id", "id\u001b[2J\u0085" + Forged);
        await client.SendAsync(request);
        // A body field as careless code would log it, through the application's own pipeline.
        var session = await this.RegisterUserAsync(factory.CreateClient);
        var body = (await session.Client.CreateProjectAsync("p\r\n" + Forged + " \u001b[31mred\u2028x"))["name"]!.GetValue<string>();
        factory.Services.GetRequiredService<ILoggerFactory>().CreateLogger("Careless").LogWarning("Created project {Name}", body);

        var events = capture.Events.Where(e => e.Exception is null).ToList();
        Assert.Contains(events, e => e.RenderMessage().Contains("FORGED", StringComparison.Ordinal) && e.RenderMessage().Contains("/v1/x", StringComparison.Ordinal));
        Assert.Contains(events, e => e.RenderMessage().Contains("Created project", StringComparison.Ordinal));

        var text = new MessageTemplateTextFormatter("[{Timestamp:HH:mm:ss} {Level:u3}] {Message:lj} {RequestId}{NewLine}{Exception}");
        using var writer = new StringWriter();
        foreach (var e in events)
        {
            text.Format(e, writer);
        }
        var output = writer.ToString();
        var lines = output.Split(Environment.NewLine, StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(events.Count, lines.Length);
        Assert.DoesNotContain(lines, l => l.StartsWith(Forged, StringComparison.Ordinal));
        Assert.DoesNotContain('\u001b', output);
        Assert.DoesNotContain('\r', output.Replace(Environment.NewLine, "", StringComparison.Ordinal));
        Assert.DoesNotContain('\u2028', output);
        Assert.Contains("\\r\\n" + Forged, output, StringComparison.Ordinal); // kept, as escapes: an operator still sees what was sent

        var json = new RenderedCompactJsonFormatter();
        using var jsonWriter = new StringWriter();
        foreach (var e in events)
        {
            json.Format(e, jsonWriter);
        }
        var jsonLines = jsonWriter.ToString().Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(events.Count, jsonLines.Length);
        Assert.All(jsonLines, l => Assert.DoesNotContain('\u001b', JsonDocument.Parse(l).RootElement.GetProperty("@m").GetString()!));
    }
}
