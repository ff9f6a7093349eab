using System.Diagnostics;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using RenderOwl.Api.IntegrationTests.Infrastructure;

namespace RenderOwl.Api.IntegrationTests;

/// <summary>The OpenAPI document is complete enough to generate a client from, and /metrics passes promtool.</summary>
public sealed partial class OpenApiDocumentTests(ApiFixture fixture) : ApiTest(fixture)
{
    [GeneratedRegex("^[a-z][A-Za-z0-9]*$")]
    private static partial Regex MethodName();

    [Fact]
    public async Task Every_operation_has_a_summary_a_method_name_operation_id_and_its_4xx_problems_and_every_tag_a_description()
    {
        var document = JsonNode.Parse(await Anonymous().GetStringAsync("/openapi/v1.json"))!;
        var problems = new List<string>();
        var ids = new HashSet<string>(StringComparer.Ordinal);
        var count = 0;
        foreach (var (path, item) in document["paths"]!.AsObject())
        {
            foreach (var (method, node) in item!.AsObject())
            {
                if (method is not ("get" or "post" or "put" or "patch" or "delete"))
                {
                    continue;
                }
                count++;
                var op = node!;
                var where = $"{method.ToUpperInvariant()} {path}";
                if (string.IsNullOrWhiteSpace(op["summary"]?.GetValue<string>()))
                {
                    problems.Add($"{where}: no summary");
                }
                var id = op["operationId"]?.GetValue<string>();
                if (id is null || !MethodName().IsMatch(id) || !ids.Add(id))
                {
                    problems.Add($"{where}: operationId '{id}' is missing, not a method name, or repeated");
                }
                var fourXx = op["responses"]?.AsObject().Where(r => r.Key.StartsWith('4')).ToList() ?? [];
                if (fourXx.Count == 0 || fourXx.Any(r => r.Value?["content"]?["application/problem+json"] is null))
                {
                    problems.Add($"{where}: no 4xx response with the problem schema");
                }
            }
        }
        foreach (var tag in document["tags"]!.AsArray())
        {
            if (string.IsNullOrWhiteSpace(tag!["description"]?.GetValue<string>()))
            {
                problems.Add($"tag {tag["name"]}: no description");
            }
        }
        Assert.True(count >= 40, $"{count} operations");
        Assert.True(problems.Count == 0, string.Join("\n", problems));
        Assert.NotNull(document["components"]!["schemas"]!["Problem"]);
    }

    [Fact]
    public async Task The_metrics_pass_promtool_check_metrics()
    {
        var client = Anonymous();
        await client.GetAsync("/v1/projects"); // some HTTP and database series
        var text = await client.GetStringAsync("/metrics");
        var start = new ProcessStartInfo("promtool", ["check", "metrics"]) { RedirectStandardInput = true, RedirectStandardOutput = true, RedirectStandardError = true };
        using var promtool = Process.Start(start) ?? throw new InvalidOperationException("promtool (Debian's prometheus package) is needed; scripts/services.sh installs it");
        var stdout = promtool.StandardOutput.ReadToEndAsync();
        var stderr = promtool.StandardError.ReadToEndAsync();
        await promtool.StandardInput.WriteAsync(text);
        promtool.StandardInput.Close();
        await promtool.WaitForExitAsync();
        var said = (await stdout + await stderr).Trim();
        if (promtool.ExitCode != 0)
        {
            await File.WriteAllTextAsync(Path.Combine(Path.GetTempPath(), "renderowl-metrics-failed.txt"), text);
        }
        Assert.True(promtool.ExitCode == 0 && said.Length == 0, $"promtool exit {promtool.ExitCode}:\n{said}");
        Assert.Contains("db_client_connections", text, StringComparison.Ordinal);
    }

    [Fact]
    public void Every_instrument_of_renderowls_meters_has_a_description_so_prometheus_gets_help_text()
    {
        System.Runtime.CompilerServices.RuntimeHelpers.RunClassConstructor(typeof(RenderOwl.Infrastructure.Observability.RenderOwlMetrics).TypeHandle);
        System.Runtime.CompilerServices.RuntimeHelpers.RunClassConstructor(typeof(RenderOwl.Infrastructure.RateLimiting.ViolationRecorder).TypeHandle);
        System.Runtime.CompilerServices.RuntimeHelpers.RunClassConstructor(typeof(RenderOwl.Infrastructure.RateLimiting.TokenBucketRateLimiter).TypeHandle);
        var instruments = new List<System.Diagnostics.Metrics.Instrument>();
        using var listener = new System.Diagnostics.Metrics.MeterListener
        {
            InstrumentPublished = (instrument, _) =>
            {
                if (instrument.Meter.Name.StartsWith("RenderOwl", StringComparison.Ordinal))
                {
                    lock (instruments)
                    {
                        instruments.Add(instrument);
                    }
                }
            },
        };
        listener.Start();
        Assert.True(instruments.Count >= 8, $"{instruments.Count} instruments");
        Assert.All(instruments, i => Assert.False(string.IsNullOrWhiteSpace(i.Description), $"{i.Meter.Name}/{i.Name} has no description"));
    }
}
