using System.Diagnostics;
using Hangfire;
using Hangfire.PostgreSql;
using Hangfire.PostgreSql.Factories;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using Npgsql;
using RenderOwl.Application.Common.Media;
using RenderOwl.Application.Rendering;
using RenderOwl.Infrastructure.Persistence;

namespace RenderOwl.Benchmarks;

/// <summary>
/// How many renders per second the dispatcher claims and completes when rendering costs nothing (a no-op engine
/// registered only here), against a bare SKIP LOCKED claim-and-complete loop over the same table (the limit),
/// and against Hangfire.PostgreSql draining the same number of no-op jobs. Each run gets a fresh database.
/// All three are measured the same way: <c>warm-up + n</c> jobs are queued before processing starts; the clock
/// runs from the moment the first <c>warm-up</c> are done (code paths jitted to their final tier, pools filled)
/// until all are done, so neither host start-up nor tier-0 JIT code is counted.
/// </summary>
public static class DispatcherThroughput
{

    public static async Task<int> RunAsync(string serverConnection, int count, int workers, int accounts = 10, bool dispatcherOnly = false)
    {
        var warmUp = Math.Max(200, count / 2);
        Console.WriteLine($"{count} jobs measured after {warmUp} warm-up jobs, {workers} concurrent workers each, renders spread over {accounts} accounts");
        var dispatcher = await WithDatabaseAsync(serverConnection, db => DispatcherAsync(db, warmUp, count, workers, accounts));
        if (dispatcherOnly)
        {
            Console.WriteLine($"RenderOwl dispatcher:        {count / dispatcher.TotalSeconds,8:0.0} renders/s ({dispatcher.TotalSeconds:0.00} s)");
            return 0;
        }
        var bare = await WithDatabaseAsync(serverConnection, db => BareLoopAsync(db, warmUp, count, workers, accounts));
        var hangfire = await WithDatabaseAsync(serverConnection, db => HangfireAsync(db, warmUp, count, workers));
        Console.WriteLine($"RenderOwl dispatcher:        {count / dispatcher.TotalSeconds,8:0.0} renders/s ({dispatcher.TotalSeconds:0.00} s)");
        Console.WriteLine($"bare SKIP LOCKED loop:       {count / bare.TotalSeconds,8:0.0} renders/s ({bare.TotalSeconds:0.00} s)");
        Console.WriteLine($"Hangfire.PostgreSql no-ops:  {count / hangfire.TotalSeconds,8:0.0} jobs/s ({hangfire.TotalSeconds:0.00} s)");
        Console.WriteLine($"dispatcher / bare loop = {bare.TotalSeconds / dispatcher.TotalSeconds:0.00}; dispatcher / Hangfire = {hangfire.TotalSeconds / dispatcher.TotalSeconds:0.00}");
        return 0;
    }

    private static async Task<TimeSpan> WithDatabaseAsync(string server, Func<string, Task<TimeSpan>> run)
    {
        var name = "renderowl_bench_" + Guid.NewGuid().ToString("N")[..8];
        await ExecAsync(new NpgsqlConnectionStringBuilder(server) { Database = "postgres" }.ConnectionString, $"CREATE DATABASE {name}");
        var db = new NpgsqlConnectionStringBuilder(server) { Database = name, MaxPoolSize = 200 }.ConnectionString;
        try
        {
            var options = new Microsoft.EntityFrameworkCore.DbContextOptionsBuilder<AppDbContext>();
            NpgsqlSetup.Configure(options, db);
            await using (var context = new AppDbContext(options.Options))
            {
                await DatabaseMigrator.MigrateAsync(context, NullLogger.Instance);
            }
            return await run(db);
        }
        finally
        {
            NpgsqlConnection.ClearAllPools();
            await ExecAsync(new NpgsqlConnectionStringBuilder(server) { Database = "postgres" }.ConnectionString, $"DROP DATABASE IF EXISTS {name} WITH (FORCE)");
        }
    }

    /// <summary>Queued renders spread over enterprise accounts (cap 50), inserted in one statement.</summary>
    private static async Task SeedAsync(string db, int count, int accounts)
    {
        await ExecAsync(db, $"""
            INSERT INTO identity.users (id, email, name, password_hash, tier, role, created_at, updated_at)
              SELECT ('00000000-0000-7000-8000-' || lpad(i::text, 12, '0'))::uuid, 'bench' || i || '@example.com', 'b', 'x', 'Enterprise', 'User', now(), now()
              FROM generate_series(1, {accounts}) i;
            INSERT INTO projects.projects (id, owner_id, name, render_count, created_at, updated_at)
              SELECT ('00000000-0000-7000-9000-' || lpad(i::text, 12, '0'))::uuid, ('00000000-0000-7000-8000-' || lpad(i::text, 12, '0'))::uuid, 'p', 0, now(), now()
              FROM generate_series(1, {accounts}) i;
            INSERT INTO rendering.renders (id, project_id, owner_id, status, priority, attempts, max_attempts, concurrency_cap, composition,
                output_settings, watermark, tags, metadata, asset_ids, progress, created_at, queued_at, next_attempt_at, cancel_requested)
              SELECT gen_random_uuid(), ('00000000-0000-7000-9000-' || lpad((1 + i % {accounts})::text, 12, '0'))::uuid,
                     ('00000000-0000-7000-8000-' || lpad((1 + i % {accounts})::text, 12, '0'))::uuid, 'Queued', 1, 0, 3, 50,
                     '{"{"}"duration": 1, "background": "#000000", "layers": []{"}"}', '{"{"}"Format": 0, "Width": 64, "Height": 64, "Fps": 5, "Quality": 0{"}"}',
                     false, '{"{"}{"}"}', '{"{"}{"}"}', '{"{"}{"}"}', 0, now(), now() - (i * interval '1 microsecond'), now() - interval '1 second', false
              FROM generate_series(1, {count}) i;
            """);
    }

    private static async Task<TimeSpan> DispatcherAsync(string db, int warmUp, int count, int workers, int accounts)
    {
        await SeedAsync(db, warmUp + count, accounts);
        var settings = new Dictionary<string, string?>
        {
            ["ConnectionStrings:Primary"] = db,
            ["ConnectionStrings:Replica"] = db,
            ["ConnectionStrings:Redis"] = "127.0.0.1:1",
            ["Jwt:SigningKey"] = Convert.ToBase64String(new byte[48]),
            ["Pagination:CursorKey"] = Convert.ToBase64String(new byte[48]),
            ["Sharing:SigningKey"] = Convert.ToBase64String(new byte[48]),
            ["Database:MigrateOnStartup"] = "false",
            ["RenderOwl:Role"] = "worker",
            ["Rendering:Dispatcher:Slots"] = workers.ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["Rendering:Dispatcher:PollSeconds"] = "0.2",
            ["Hangfire:WorkerCount"] = "1",
            ["Serilog:MinimumLevel:Default"] = "Warning",
        };
        // The factory looks for the API's content root next to a test project; point it at src/Api.
        Environment.SetEnvironmentVariable("ASPNETCORE_TEST_CONTENTROOT_RENDEROWL_API", Path.Combine(RepositoryRoot(), "src", "Api"));
        await using var host = new WebApplicationFactory<Program>().WithWebHostBuilder(b =>
        {
            b.UseEnvironment("Benchmark");
            foreach (var (k, v) in settings)
            {
                b.UseSetting(k, v);
            }
            b.ConfigureTestServices(s => s.AddSingleton<IRenderEngine, NoOpEngine>());
        });
        _ = host.Services; // starts the worker host: its dispatcher begins claiming
        const string done = "SELECT count(*) FROM rendering.renders WHERE status = 'Succeeded'";
        await WaitUntilAsync(db, done, warmUp);
        var clock = Stopwatch.StartNew();
        await WaitUntilAsync(db, done, warmUp + count);
        return clock.Elapsed;
    }

    private sealed class NoOpEngine : IRenderEngine
    {
        public Task<RenderOutput> RenderAsync(RenderJob job, IProgress<double>? progress, CancellationToken cancellationToken)
            => Task.FromResult(new RenderOutput("renders/noop.mp4", 1, new string('0', 64), new MediaProbe("mp4", "h264", null, 64, 64, 5, 1)));
    }

    /// <summary>The floor: claim one queued row with SKIP LOCKED and mark it done, per transaction, with the same concurrency.</summary>
    private static async Task<TimeSpan> BareLoopAsync(string db, int warmUp, int count, int workers, int accounts)
    {
        await SeedAsync(db, warmUp + count, accounts);
        var clock = new Stopwatch();
        var finished = 0;
        await Task.WhenAll(Enumerable.Range(0, workers).Select(async _ =>
        {
            await using var connection = new NpgsqlConnection(db);
            await connection.OpenAsync();
            while (true)
            {
                await using var tx = await connection.BeginTransactionAsync();
                await using var claim = new NpgsqlCommand("""
                    UPDATE rendering.renders SET status = 'Rendering', attempts = attempts + 1, started_at = now()
                    WHERE id = (SELECT id FROM rendering.renders WHERE status = 'Queued' ORDER BY priority DESC, queued_at LIMIT 1 FOR UPDATE SKIP LOCKED)
                    RETURNING id
                    """, connection, tx);
                if (await claim.ExecuteScalarAsync() is not Guid id)
                {
                    return;
                }
                await tx.CommitAsync();
                await using var done = new NpgsqlCommand("UPDATE rendering.renders SET status = 'Succeeded', finished_at = now() WHERE id = $1", connection);
                done.Parameters.AddWithValue(id);
                await done.ExecuteNonQueryAsync();
                if (Interlocked.Increment(ref finished) == warmUp)
                {
                    clock.Start();
                }
            }
        }));
        return clock.Elapsed;
    }

    private static async Task<TimeSpan> HangfireAsync(string db, int warmUp, int count, int workers)
    {
        var storage = new PostgreSqlStorage(new NpgsqlConnectionFactory(db, new PostgreSqlStorageOptions()),
            new PostgreSqlStorageOptions { SchemaName = DatabaseMigrator.HangfireSchema, PrepareSchemaIfNecessary = false, QueuePollInterval = TimeSpan.FromMilliseconds(200) });
        var client = new BackgroundJobClient(storage);
        for (var i = 0; i < warmUp + count; i++)
        {
            client.Enqueue(() => NoOpJob.Run());
        }
        using (new BackgroundJobServer(new BackgroundJobServerOptions { WorkerCount = workers, Activator = new JobActivator() }, storage))
        {
            var monitor = storage.GetMonitoringApi();
            while (monitor.SucceededListCount() < warmUp)
            {
                await Task.Delay(20);
            }
            var clock = Stopwatch.StartNew();
            while (monitor.SucceededListCount() < warmUp + count)
            {
                await Task.Delay(20);
            }
            return clock.Elapsed;
        }
    }

    internal static string RepositoryRoot()
    {
        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "RenderOwl.sln")))
        {
            dir = dir.Parent;
        }
        return dir?.FullName ?? Directory.GetCurrentDirectory();
    }

    private static async Task WaitUntilAsync(string db, string countSql, int target)
    {
        await using var connection = new NpgsqlConnection(db);
        await connection.OpenAsync();
        while (true)
        {
            await using var command = new NpgsqlCommand(countSql, connection);
            if ((long)(await command.ExecuteScalarAsync())! >= target)
            {
                return;
            }
            await Task.Delay(20);
        }
    }

    private static async Task ExecAsync(string connectionString, string sql)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        await command.ExecuteNonQueryAsync();
    }
}

public static class NoOpJob
{
    public static void Run()
    {
    }
}
