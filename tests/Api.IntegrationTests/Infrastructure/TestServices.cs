using System.Diagnostics;
using Testcontainers.PostgreSql;
using Testcontainers.Redis;

namespace RenderOwl.Api.IntegrationTests.Infrastructure;

/// <summary>
/// Where the tests get PostgreSQL and Redis, in this order: RENDEROWL_TEST_PG / RENDEROWL_TEST_REDIS (what
/// `make test` sets from scripts/services.sh); Testcontainers when a Docker engine answers; else a throwaway
/// primary, replica and Redis started from the installed binaries by scripts/services.sh in a temporary folder.
/// </summary>
public sealed class TestServices : IAsyncDisposable
{
    private readonly Func<ValueTask> _dispose;

    private TestServices(string postgres, string? replica, string redis, string source, Func<ValueTask> dispose, string? s3 = null)
    {
        S3 = s3;
        PostgresServer = postgres;
        PostgresReplica = replica;
        Redis = redis;
        Source = source;
        _dispose = dispose;
    }

    /// <summary>A server connection string without a database name.</summary>
    public string PostgresServer { get; }
    /// <summary>The streaming replica of <see cref="PostgresServer"/> (no database name), when there is one.</summary>
    public string? PostgresReplica { get; }
    public string Redis { get; }
    public string Source { get; }
    /// <summary>The local S3-compatible server's endpoint (RENDEROWL_TEST_S3, from <c>RENDEROWL_S3=1 scripts/services.sh up</c>).</summary>
    public string? S3 { get; }

    public static async Task<TestServices> StartAsync()
    {
        var pg = Environment.GetEnvironmentVariable("RENDEROWL_TEST_PG");
        var redis = Environment.GetEnvironmentVariable("RENDEROWL_TEST_REDIS");
        if (!string.IsNullOrWhiteSpace(pg) && !string.IsNullOrWhiteSpace(redis))
        {
            var replica = Environment.GetEnvironmentVariable("RENDEROWL_TEST_PG_REPLICA");
            var s3 = Environment.GetEnvironmentVariable("RENDEROWL_TEST_S3");
            return new TestServices(pg, string.IsNullOrWhiteSpace(replica) ? null : replica, redis, "environment", () => ValueTask.CompletedTask,
                string.IsNullOrWhiteSpace(s3) ? null : s3);
        }
        if (DockerLooksReachable())
        {
            try
            {
                var pgContainer = new PostgreSqlBuilder("postgres:15-alpine").Build();
                var redisContainer = new RedisBuilder("redis:7-alpine").Build();
                await Task.WhenAll(pgContainer.StartAsync(), redisContainer.StartAsync());
                var server = new Npgsql.NpgsqlConnectionStringBuilder(pgContainer.GetConnectionString()) { Database = null }.ConnectionString;
                return new TestServices(server, null, redisContainer.GetConnectionString(), "testcontainers", async () =>
                {
                    await pgContainer.DisposeAsync();
                    await redisContainer.DisposeAsync();
                });
            }
            catch (Exception ex) when (ex.GetType().Name.Contains("Docker", StringComparison.Ordinal))
            {
                // Fall through to local binaries.
            }
        }
        return await StartLocalAsync();
    }

    private static bool DockerLooksReachable()
        => !string.IsNullOrEmpty(Environment.GetEnvironmentVariable("DOCKER_HOST")) || File.Exists("/var/run/docker.sock");

    private static async Task<TestServices> StartLocalAsync()
    {
        var script = Path.Combine(RepositoryRoot(), "scripts", "services.sh");
        var data = Path.Combine(Path.GetTempPath(), "renderowl-test-" + Guid.NewGuid().ToString("N")[..8]);
        Directory.CreateDirectory(data);
        await RunAsync(script, "up", data);
        var env = File.ReadAllLines(Path.Combine(data, "services.env"))
            .Where(l => l.Contains('=', StringComparison.Ordinal) && !l.StartsWith('#'))
            .Select(l => l.Split('=', 2))
            .ToDictionary(p => p[0], p => p[1].Trim('"'));
        return new TestServices(env["RENDEROWL_TEST_PG"], env["RENDEROWL_TEST_PG_REPLICA"], env["RENDEROWL_TEST_REDIS"], "local:" + data, async () =>
        {
            await RunAsync(script, "down", data);
            Directory.Delete(data, recursive: true);
        }, env.GetValueOrDefault("RENDEROWL_TEST_S3"));
    }

    private static async Task RunAsync(string script, string verb, string data)
    {
        var start = new ProcessStartInfo("bash", [script, verb]) { RedirectStandardError = true, RedirectStandardOutput = true };
        start.Environment["RENDEROWL_DATA"] = data;
        start.Environment["RENDEROWL_DB_NAME"] = "renderowl";
        start.Environment["RENDEROWL_S3"] = "1";
        using var process = Process.Start(start)!;
        var stderr = process.StandardError.ReadToEndAsync();
        await process.StandardOutput.ReadToEndAsync();
        await process.WaitForExitAsync();
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException($"scripts/services.sh {verb} failed: {await stderr}");
        }
    }

    public static string RepositoryRoot()
    {
        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "RenderOwl.sln")))
        {
            dir = dir.Parent;
        }
        return dir?.FullName ?? throw new InvalidOperationException("RenderOwl.sln not found above " + AppContext.BaseDirectory);
    }

    public ValueTask DisposeAsync() => _dispose();
}
