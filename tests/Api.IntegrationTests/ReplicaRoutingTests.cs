using System.Net;
using System.Net.Sockets;
using Npgsql;
using RenderOwl.Api.IntegrationTests.Infrastructure;

namespace RenderOwl.Api.IntegrationTests;

/// <summary>
/// Read-replica routing (docs/adr/0008) against the real streaming replica of scripts/services.sh: which server
/// answered is read from the Npgsql activities of the request's trace.
/// </summary>
public sealed class ReplicaRoutingTests(ApiFixture fixture) : ApiTest(fixture)
{
    private ApiFactory Routed(params (string Key, string? Value)[] extra)
    {
        Assert.True(Fixture.ReplicaConnectionString is not null, "these tests need the streaming replica that scripts/services.sh starts");
        var settings = new Dictionary<string, string?>
        {
            ["Database:ReadReplica:Enabled"] = "true",
            ["Database:ReadReplica:ReadYourWritesSeconds"] = "1",
            ["Database:ReadReplica:ProbeSeconds"] = "0.2",
            // These tests follow GET /v1/projects to the database it reads; its first page is otherwise served from the
            // cache (and loaded on the primary), which ProjectFirstPageCacheTests covers.
            ["Cache:Bypass"] = "projectpage",
        };
        foreach (var (key, value) in extra)
        {
            settings[key] = value;
        }
        return Fixture.CreateFactory(settings);
    }

    private static int PortOf(string connectionString) => new NpgsqlConnectionStringBuilder(connectionString).Port;

    /// <summary>Runs a request and returns it with the ports of the database servers its queries went to.</summary>
    private static async Task<(HttpResponseMessage Response, HashSet<int> Ports)> TracedAsync(Func<Task<HttpResponseMessage>> send)
    {
        using var trace = new DbCommandTrace();
        var response = await send();
        return (response, trace.Of(response).Where(c => c.Port is not null).Select(c => c.Port!.Value).ToHashSet());
    }

    private static async Task<List<string>> ProjectNamesAsync(HttpResponseMessage response)
        => (await response.ReadJsonAsync())["items"]!.AsArray().Select(p => p!["name"]!.GetValue<string>()).ToList();

    private async Task WaitUntilReplicaHasAsync(string projectName)
    {
        await using var connection = new NpgsqlConnection(Fixture.ReplicaConnectionString);
        await connection.OpenAsync();
        await Eventually.UntilAsync(async () =>
        {
            await using var command = new NpgsqlCommand("SELECT count(*) FROM projects.projects WHERE name = $1", connection);
            command.Parameters.AddWithValue(projectName);
            return (long)(await command.ExecuteScalarAsync())! > 0;
        }, TimeSpan.FromSeconds(10), "the replica caught up", TimeSpan.FromMilliseconds(50));
    }

    [Fact]
    public async Task Reads_go_to_the_replica_except_right_after_the_account_wrote()
    {
        await using var api = Routed();
        var session = await this.RegisterUserAsync(api.CreateClient);
        await session.Client.CreateProjectAsync("routed");
        var (primary, replica) = (PortOf(Fixture.ConnectionString), PortOf(Fixture.ReplicaConnectionString!));

        // Right after the write: the primary answers, and the new project is there.
        var (afterWrite, afterWritePorts) = await TracedAsync(() => session.Client.GetAsync("/v1/projects"));
        Assert.Equal(HttpStatusCode.OK, afterWrite.StatusCode);
        Assert.Contains("routed", await ProjectNamesAsync(afterWrite));
        Assert.Contains(primary, afterWritePorts);
        Assert.DoesNotContain(replica, afterWritePorts);

        // Once the read-your-writes window has passed: the replica answers, with the same data.
        await WaitUntilReplicaHasAsync("routed");
        await Task.Delay(TimeSpan.FromSeconds(1.2));
        var (later, laterPorts) = await TracedAsync(() => session.Client.GetAsync("/v1/projects"));
        Assert.Equal(HttpStatusCode.OK, later.StatusCode);
        Assert.Contains("routed", await ProjectNamesAsync(later));
        Assert.Contains(replica, laterPorts);

        // A live event stream reads the primary even then (fresh progress; it could not be re-run mid-stream).
        var project = (await (await session.Client.GetAsync("/v1/projects")).ReadJsonAsync())["items"]![0]!["id"]!.GetValue<string>();
        var render = (await session.Client.SubmitAsync(project, Renders.Small()))["id"]!.GetValue<string>();
        await session.Client.PostAsync($"/v1/renders/{render}/cancel", null); // final at once: the stream ends
        await Task.Delay(TimeSpan.FromSeconds(1.2));
        var (stream, streamPorts) = await TracedAsync(() => session.Client.SendAsync(TestHttp.Request(HttpMethod.Get, $"/v1/renders/{render}/events", null, ("Accept", "text/event-stream"))));
        Assert.Contains("event: end", await stream.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Contains(primary, streamPorts);
        Assert.DoesNotContain(replica, streamPorts);
        var (history, historyPorts) = await TracedAsync(() => session.Client.GetAsync($"/v1/renders/{render}/events")); // the JSON history: replica
        Assert.Equal(HttpStatusCode.OK, history.StatusCode);
        Assert.Contains(replica, historyPorts);

        // Another account's fresh write does not send this account to the primary, and vice versa.
        var other = await this.RegisterUserAsync(api.CreateClient);
        await other.Client.CreateProjectAsync("other");
        var (mine, minePorts) = await TracedAsync(() => session.Client.GetAsync("/v1/projects"));
        Assert.Equal(["routed"], await ProjectNamesAsync(mine));
        Assert.Contains(replica, minePorts);
    }

    [Fact]
    public async Task A_replica_that_lags_is_not_used()
    {
        await using var api = Routed(("Database:ReadReplica:MaxLagSeconds", "0.5"), ("Database:ReadReplica:ReadYourWritesSeconds", "0.2"));
        var session = await this.RegisterUserAsync(api.CreateClient);
        await using var standby = new NpgsqlConnection(Fixture.ReplicaConnectionString);
        await standby.OpenAsync();
        await using (var pause = new NpgsqlCommand("SELECT pg_wal_replay_pause()", standby))
        {
            await pause.ExecuteNonQueryAsync();
        }
        try
        {
            // Written after replay stopped: the replica receives it but does not apply it, and falls behind.
            await session.Client.CreateProjectAsync("written while the replica lags");
            await Task.Delay(TimeSpan.FromSeconds(1.5)); // past MaxLagSeconds and the read-your-writes window
            var (response, ports) = await TracedAsync(() => session.Client.GetAsync("/v1/projects"));
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            Assert.Contains("written while the replica lags", await ProjectNamesAsync(response));
            Assert.Contains(PortOf(Fixture.ConnectionString), ports);
            Assert.DoesNotContain(PortOf(Fixture.ReplicaConnectionString!), ports);
        }
        finally
        {
            await using var resume = new NpgsqlCommand("SELECT pg_wal_replay_resume()", standby);
            await resume.ExecuteNonQueryAsync();
        }
    }

    [Fact]
    public async Task An_unreachable_replica_sends_reads_to_the_primary()
    {
        int closedPort;
        using (var probe = new TcpListener(IPAddress.Loopback, 0))
        {
            probe.Start();
            closedPort = ((IPEndPoint)probe.LocalEndpoint).Port; // free now, and nothing listens there after Stop
        }
        var unreachable = new NpgsqlConnectionStringBuilder(Fixture.ReplicaConnectionString) { Port = closedPort, Timeout = 1 }.ConnectionString;
        await using var api = Routed(("ConnectionStrings:Replica", unreachable), ("Database:ReadReplica:ReadYourWritesSeconds", "0.1"));
        var session = await this.RegisterUserAsync(api.CreateClient);
        await session.Client.CreateProjectAsync("primary only");
        await Task.Delay(TimeSpan.FromSeconds(0.5));

        var (response, ports) = await TracedAsync(() => session.Client.GetAsync("/v1/projects"));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(["primary only"], await ProjectNamesAsync(response));
        Assert.Contains(PortOf(Fixture.ConnectionString), ports);
        Assert.DoesNotContain(closedPort, ports);
    }

    [Fact]
    public async Task A_replica_that_dies_between_probes_costs_no_failed_request()
    {
        var replicaPort = PortOf(Fixture.ReplicaConnectionString!);
        await using var forwarder = new TcpForwarder("127.0.0.1", replicaPort);
        var viaForwarder = new NpgsqlConnectionStringBuilder(Fixture.ReplicaConnectionString) { Port = forwarder.Port, Timeout = 2 }.ConnectionString;
        // One probe at start-up, then none for 30 s: only the failing read itself can notice.
        await using var api = Routed(("ConnectionStrings:Replica", viaForwarder), ("Database:ReadReplica:ProbeSeconds", "30"),
            ("Database:ReadReplica:ReadYourWritesSeconds", "0.3"));
        var session = await this.RegisterUserAsync(api.CreateClient);
        await session.Client.CreateProjectAsync("survives");
        await WaitUntilReplicaHasAsync("survives");
        await Task.Delay(TimeSpan.FromSeconds(0.5));

        var (before, beforePorts) = await TracedAsync(() => session.Client.GetAsync("/v1/projects"));
        Assert.Equal(HttpStatusCode.OK, before.StatusCode);
        Assert.Contains(forwarder.Port, beforePorts); // served by the replica

        forwarder.Cut(); // the replica "dies": its pooled connections break, new ones are refused
        var (during, duringPorts) = await TracedAsync(() => session.Client.GetAsync("/v1/projects"));
        Assert.Equal(HttpStatusCode.OK, during.StatusCode);
        Assert.Equal(["survives"], await ProjectNamesAsync(during));
        Assert.Contains(PortOf(Fixture.ConnectionString), duringPorts); // run again on the primary

        var (after, afterPorts) = await TracedAsync(() => session.Client.GetAsync("/v1/projects"));
        Assert.Equal(HttpStatusCode.OK, after.StatusCode);
        Assert.DoesNotContain(forwarder.Port, afterPorts); // out of use until a probe finds it well
    }
}
