using System.Diagnostics;
using System.Text.Json;
using System.Text.RegularExpressions;
using RenderOwl.Api.IntegrationTests.Infrastructure;

namespace RenderOwl.Api.IntegrationTests;

/// <summary>
/// deploy/prometheus and deploy/grafana, each checked by its own tool: promtool accepts the scrape configuration and
/// the rules, every alert fires on a sick series and stays silent on a healthy one (<c>promtool test rules</c>), each
/// alert has its runbook entry, and every metric an alert or a dashboard panel reads is one a running API exports.
/// </summary>
public sealed partial class MonitoringFilesTests(ApiFixture fixture) : ApiTest(fixture)
{
    private static string Prometheus(string file) => Path.Combine(TestServices.RepositoryRoot(), "deploy", "prometheus", file);

    [Theory]
    [InlineData("check", "config", "prometheus.yml")]
    [InlineData("check", "rules", "alerts.yml")]
    [InlineData("test", "rules", "alerts.test.yml")]
    public async Task Promtool_accepts_the_monitoring_files(string verb, string what, string file)
    {
        var (exit, output) = await PromtoolAsync(verb, what, file);
        Assert.True(exit == 0, $"promtool {verb} {what} {file}:\n{output}");
        Assert.Contains("SUCCESS", output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Every_alert_has_a_unit_test_and_a_runbook_entry()
    {
        var alerts = AlertNames().Matches(await File.ReadAllTextAsync(Prometheus("alerts.yml"))).Select(m => m.Groups[1].Value).ToList();
        Assert.True(alerts.Count >= 14, string.Join(", ", alerts));
        var tests = await File.ReadAllTextAsync(Prometheus("alerts.test.yml"));
        var runbook = await File.ReadAllTextAsync(Path.Combine(TestServices.RepositoryRoot(), "docs", "operations.md"));
        foreach (var alert in alerts)
        {
            Assert.Contains($"alertname: {alert}", tests, StringComparison.Ordinal);
            Assert.Contains($"### {alert}", runbook, StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task Every_metric_the_alerts_and_the_dashboard_read_is_exported_by_a_running_api()
    {
        var dashboard = JsonDocument.Parse(await File.ReadAllTextAsync(Path.Combine(TestServices.RepositoryRoot(), "deploy", "grafana", "renderowl.json")));
        var panelQueries = dashboard.RootElement.GetProperty("panels").EnumerateArray()
            .Where(p => p.TryGetProperty("targets", out _))
            .SelectMany(p => p.GetProperty("targets").EnumerateArray().Select(t => (Panel: p.GetProperty("title").GetString()!, Expr: t.GetProperty("expr").GetString()!)))
            .ToList();
        Assert.True(panelQueries.Count >= 20, $"{panelQueries.Count} panel queries");
        var alertQueries = AlertExpressions([.. await File.ReadAllLinesAsync(Prometheus("alerts.yml"))]).Select(e => (Panel: "alerts.yml", Expr: e)).ToList();
        var wanted = panelQueries.Concat(alertQueries)
            .SelectMany(q => MetricNames(q.Expr).Select(name => (q.Panel, Name: name)))
            .Where(m => m.Name != "up") // Prometheus's own, per target
            .ToList();
        foreach (var known in new[] { "http_server_request_duration_seconds_bucket", "renderowl_queue_oldest_wait_seconds", "renderowl_webhook_attempts_total",
                     "renderowl_render_wait_seconds_bucket", "db_client_connections", "renderowl_ready", "renderowl_replica_lag_seconds" })
        {
            Assert.Contains(wanted, m => m.Name == known); // the parser sees what is there
        }
        Assert.DoesNotContain(wanted, m => m.Name is "sum" or "rate" or "le" or "instance" or "histogram_quantile" or "http_route");

        // An instance that has done what the panels show: requests, a render (wait and run-time histograms), cache reads.
        await using var worker = Fixture.CreateFactory(Renders.WorkerWith(("Metrics:QueueSampleSeconds", "0.2"), ("Metrics:HealthSampleSeconds", "1"), ("Database:ReadReplica:Enabled", "true")));
        var session = await this.RegisterUserAsync(worker.CreateClient);
        var project = (await session.Client.CreateProjectAsync("monitoring"))["id"]!.GetValue<string>();
        var id = (await session.Client.SubmitAsync(project, Renders.Small()))["id"]!.GetValue<string>();
        await session.Client.WaitForAsync(id, r => r.Status() == "succeeded");
        await session.Client.GetAsync($"/v1/projects/{project}");
        await session.Client.GetAsync($"/v1/projects/{project}");

        var missing = await Eventually.UntilAsync(async () =>
        {
            var scrape = await (await worker.CreateClient().GetAsync("/metrics")).Content.ReadAsStringAsync();
            var exported = ExportedName().Matches(scrape).Select(m => m.Groups[1].Value).ToHashSet(StringComparer.Ordinal);
            return string.Join(", ", wanted.Where(m => !exported.Contains(m.Name)).Select(m => $"{m.Name} ({m.Panel})").Distinct());
        }, m => m.Length == 0, TimeSpan.FromSeconds(30), "every metric read by an alert or a panel is in the scrape");
        Assert.Equal("", missing);
    }

    [Fact]
    public async Task Make_monitoring_starts_a_prometheus_whose_targets_page_reports_the_api_up()
    {
        var port = ApiProcess.FreePort();
        using var api = ApiProcess.Start(Fixture.Settings(), role: "api", port);
        await api.WaitUntilReadyAsync(port, TimeSpan.FromSeconds(60));
        var data = Directory.CreateTempSubdirectory("renderowl-monitoring-");
        var environment = new Dictionary<string, string>
        {
            ["RENDEROWL_DATA"] = data.FullName, ["API"] = $"127.0.0.1:{port}", ["MONITORING_PORT"] = ApiProcess.FreePort().ToString(System.Globalization.CultureInfo.InvariantCulture),
        };
        try
        {
            var (upExit, upOutput) = await ScriptAsync(environment, "up");
            Assert.True(upExit == 0, upOutput);
            var (checkExit, checkOutput) = await ScriptAsync(environment, "check");
            Assert.True(checkExit == 0, checkOutput);
            Assert.Contains("every renderowl target is up", checkOutput, StringComparison.Ordinal);
            Assert.Contains("alert rules loaded", checkOutput, StringComparison.Ordinal);
        }
        finally
        {
            await ScriptAsync(environment, "down");
            data.Delete(recursive: true);
        }
    }

    private static async Task<(int Exit, string Output)> ScriptAsync(Dictionary<string, string> environment, string verb)
    {
        var start = new ProcessStartInfo(Path.Combine(TestServices.RepositoryRoot(), "scripts", "monitoring.sh"), [verb])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        foreach (var (key, value) in environment)
        {
            start.Environment[key] = value;
        }
        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(120));
        await process.WaitForExitAsync(timeout.Token);
        return (process.ExitCode, await stdout + await stderr);
    }

    /// <summary>Metric names in a PromQL expression: identifiers that are not functions, keywords, label names or inside strings, matchers or ranges.</summary>
    public static IReadOnlyList<string> MetricNames(string expr)
    {
        var bare = Grouping().Replace(expr, " ");
        bare = Quoted().Replace(bare, " ");
        bare = Matchers().Replace(bare, " ");
        bare = Ranges().Replace(bare, " ");
        return [.. Identifier().Matches(bare).Select(m => m.Groups[1].Value)
            .Where(name => !Keywords.Contains(name) && !name.StartsWith("$", StringComparison.Ordinal)).Distinct()];
    }

    private static readonly HashSet<string> Keywords = ["and", "or", "unless", "by", "without", "on", "ignoring", "group_left", "group_right", "offset", "bool", "inf", "nan"];

    private static IEnumerable<string> AlertExpressions(List<string> lines)
    {
        for (var i = 0; i < lines.Count; i++)
        {
            var line = lines[i];
            var at = line.IndexOf("expr:", StringComparison.Ordinal);
            if (at < 0)
            {
                continue;
            }
            var rest = line[(at + 5)..].Trim();
            if (rest != "|")
            {
                yield return rest;
                continue;
            }
            var indent = at + 2;
            var block = new List<string>();
            while (i + 1 < lines.Count && (lines[i + 1].Length - lines[i + 1].TrimStart().Length) >= indent && lines[i + 1].Trim().Length > 0)
            {
                block.Add(lines[++i].Trim());
            }
            yield return string.Join(" ", block);
        }
    }

    private static async Task<(int Exit, string Output)> PromtoolAsync(params string[] args)
    {
        var start = new ProcessStartInfo("promtool", args)
        {
            WorkingDirectory = Prometheus(""),
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        return (process.ExitCode, await stdout + await stderr);
    }

    [GeneratedRegex(@"- alert: (\w+)")]
    private static partial Regex AlertNames();

    [GeneratedRegex(@"^([a-zA-Z_:][a-zA-Z0-9_:]*)(\{| )", RegexOptions.Multiline)]
    private static partial Regex ExportedName();

    [GeneratedRegex(@"\b(by|without|on|ignoring)\s*\([^)]*\)")]
    private static partial Regex Grouping();

    [GeneratedRegex("\"(?:[^\"\\\\]|\\\\.)*\"")]
    private static partial Regex Quoted();

    [GeneratedRegex(@"\{[^}]*\}")]
    private static partial Regex Matchers();

    [GeneratedRegex(@"\[[^\]]*\]")]
    private static partial Regex Ranges();

    /// <summary>An identifier not followed by '(' (a function call) and not part of a number or a variable.</summary>
    [GeneratedRegex(@"(?<![\w$.])([a-zA-Z_:][a-zA-Z0-9_:]*)\b(?!\s*\()")]
    private static partial Regex Identifier();
}
