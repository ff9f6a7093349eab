using System.Diagnostics;
using System.Text;
using Mediator;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using Npgsql;
using NpgsqlTypes;
using RenderOwl.Application.Common.Abstractions;
using RenderOwl.Application.Identity.Deletion;
using RenderOwl.Application.Identity.Exports;
using RenderOwl.Domain.Common;
using RenderOwl.Infrastructure.Persistence;

namespace RenderOwl.Benchmarks;

/// <summary>
/// Issue 16's figures, each on a fresh database of <c>server</c> and the product's own code in this process (an API
/// host): <c>ingest</c> — COPY (the product's <see cref="IAnalyticsStore.CopyAsync"/>) against a multi-row INSERT of the
/// same events, 500 per statement; <c>rollup</c> — the hourly roll-up of an hour holding 1,000,000 events, and again
/// (idempotent); <c>delete</c> — deleting an account of 100,000 rows and 1,000 files; <c>export</c> — exporting an
/// account of 20,000 rows with 10 MiB and then 50 MiB of files, sampling the process's memory.
/// </summary>
public static partial class DataLifecycle
{
    public static async Task<int> RunAsync(string server, string part)
    {
        switch (part)
        {
            case "ingest": await WithHostAsync(server, IngestAsync); break;
            case "rollup": await WithHostAsync(server, RollUpAsync); break;
            case "delete": await WithHostAsync(server, DeleteAsync); break;
            case "export": await WithHostAsync(server, ExportAsync); break;
            default: Console.Error.WriteLine("data <server> ingest|rollup|delete|export"); return 2;
        }
        return 0;
    }

    private static async Task IngestAsync(IServiceProvider services, string db, string storage)
    {
        const int batch = 500, batches = 200, warm = 20;
        var owner = await NewUserAsync(db);
        var store = services.GetRequiredService<IAnalyticsStore>();
        var events = Enumerable.Range(0, batch).Select(i => new IncomingEvent($"bench.event_{i % 10}", DateTimeOffset.UtcNow.AddMinutes(-i % 60),
            $$"""{"plan":"pro","step":{{i}},"path":"/editor/timeline"}""", null)).ToList();
        async Task<double> TimeAsync(Func<Task> one)
        {
            for (var i = 0; i < warm; i++)
            {
                await one();
            }
            var clock = Stopwatch.StartNew();
            for (var i = 0; i < batches; i++)
            {
                await one();
            }
            return batch * batches / clock.Elapsed.TotalSeconds;
        }
        var copy = await TimeAsync(() => store.CopyAsync(owner, events, DateTimeOffset.UtcNow, CancellationToken.None));
        await using var dataSource = NpgsqlDataSource.Create(db);
        var insertSql = MultiRowInsert(batch);
        var insert = await TimeAsync(async () =>
        {
            await using var command = dataSource.CreateCommand(insertSql);
            var received = DateTimeOffset.UtcNow;
            foreach (var e in events)
            {
                command.Parameters.Add(new NpgsqlParameter<Guid> { TypedValue = Guid.CreateVersion7() });
                command.Parameters.Add(new NpgsqlParameter<Guid> { TypedValue = owner.Value });
                command.Parameters.Add(new NpgsqlParameter { Value = DBNull.Value, NpgsqlDbType = NpgsqlDbType.Uuid });
                command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = e.Name });
                command.Parameters.Add(new NpgsqlParameter<DateTimeOffset> { TypedValue = e.OccurredAt });
                command.Parameters.Add(new NpgsqlParameter<DateTimeOffset> { TypedValue = received });
                command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = e.PropertiesJson, NpgsqlDbType = NpgsqlDbType.Jsonb });
            }
            await command.ExecuteNonQueryAsync();
        });
        Console.WriteLine($"ingest, {batches} batches of {batch} events after {warm} warm-up batches each:");
        Console.WriteLine($"  binary COPY (RenderOwl)        {copy,10:N0} rows/s");
        Console.WriteLine($"  multi-row INSERT, 500 per stmt {insert,10:N0} rows/s");
        Console.WriteLine($"  COPY / INSERT = {copy / insert:0.00}");
    }

    private static string MultiRowInsert(int rows)
    {
        var sql = new StringBuilder("INSERT INTO analytics.events (id, owner_id, project_id, name, occurred_at, received_at, properties) VALUES ");
        for (var r = 0; r < rows; r++)
        {
            var p = r * 7;
            sql.Append(r == 0 ? "" : ", ").Append($"(${p + 1}, ${p + 2}, ${p + 3}, ${p + 4}, ${p + 5}, ${p + 6}, ${p + 7})");
        }
        return sql.ToString();
    }

    private static async Task RollUpAsync(IServiceProvider services, string db, string storage)
    {
        var hour = DateTimeOffset.UtcNow.AddDays(-2);
        hour = new DateTimeOffset(hour.Year, hour.Month, hour.Day, hour.Hour, 0, 0, TimeSpan.Zero);
        var clock = Stopwatch.StartNew();
        await ExecAsync(db, $$"""
            SET synchronous_commit = off;
            INSERT INTO analytics.events (id, owner_id, project_id, name, occurred_at, received_at, properties)
            SELECT gen_random_uuid(), md5('u' || (g % 1000))::uuid, CASE WHEN g % 3 = 0 THEN md5('p' || (g % 5000))::uuid END,
                   CASE g % 4 WHEN 0 THEN 'render.submitted' WHEN 1 THEN 'render.succeeded' ELSE 'editor.opened' END,
                   '{{hour:O}}'::timestamptz + make_interval(secs => (g % 3600)), now(),
                   CASE WHEN g % 4 = 1 THEN jsonb_build_object('render_seconds', 2.5, 'output_bytes', 1048576) ELSE '{}'::jsonb END
            FROM generate_series(1, 1000000) g;
            ANALYZE analytics.events;
            """);
        Console.WriteLine($"rollup: 1,000,000 events of one hour inserted in {clock.Elapsed.TotalSeconds:0.0} s");
        var store = services.GetRequiredService<IAnalyticsStore>();
        for (var run = 1; run <= 3; run++)
        {
            clock.Restart();
            var rows = await store.RollUpHourAsync(hour, CancellationToken.None);
            Console.WriteLine($"  roll-up run {run}: {clock.Elapsed.TotalMilliseconds,8:N0} ms, {rows:N0} hourly rows upserted");
        }
        Console.WriteLine($"  totals: {await ScalarAsync(db, $"SELECT sum(events)::text || ' events, ' || sum(renders_succeeded)::text || ' succeeded' FROM analytics.hourly WHERE bucket = '{hour:O}'")}");
    }

    private static async Task DeleteAsync(IServiceProvider services, string db, string storage)
    {
        // First alone in the database, then beside five accounts of the same size: a chunk that read whole tables (or
        // walked an index past other accounts' rows) would take longer the second time.
        foreach (var others in new[] { 0, 5 })
        {
            for (var other = 0; other < others; other++)
            {
                await SeedAccountAsync(db, await NewUserAsync(db), projects: 1_000, assets: 1_000, renders: 30_000, events: 30_000, notifications: 18_000, analytics: 20_000);
            }
            var owner = await NewUserAsync(db);
            var rows = await SeedAccountAsync(db, owner, projects: 1_000, assets: 1_000, renders: 30_000, events: 30_000, notifications: 18_000, analytics: 20_000);
            var bytes = WriteFiles(db, storage, owner, 1_000, 64 * 1024);
            await ExecAsync(db, $"UPDATE identity.users SET deletion_requested_at = now() WHERE id = '{owner.Value}'; ANALYZE;");
            var total = await ScalarAsync(db, "SELECT count(*) FROM rendering.renders");
            Console.WriteLine($"delete: account of {rows:N0} rows and 1,000 files ({bytes / 1048576.0:0} MiB), {others} other account(s) of that size, {total} renders in all");
            var (elapsed, peak, baseline) = await SampledAsync(async () =>
            {
                await using var scope = services.CreateAsyncScope();
                var progress = await scope.ServiceProvider.GetRequiredService<ISender>().Send(new DeleteAccountDataCommand(owner));
                if (progress.State != DeletionState.Done)
                {
                    throw new InvalidOperationException($"deletion ended {progress.State}");
                }
            });
            var left = await ScalarAsync(db, $"SELECT (SELECT count(*) FROM projects.projects WHERE owner_id = '{owner.Value}') + (SELECT count(*) FROM rendering.renders WHERE owner_id = '{owner.Value}')");
            var files = Directory.EnumerateFiles(Path.Combine(storage, "assets", owner.Value.ToString()), "*", SearchOption.AllDirectories).Count();
            Console.WriteLine($"  deleted in {elapsed.TotalSeconds:0.00} s ({rows / elapsed.TotalSeconds:N0} rows/s); rows left {left}, files left {files}; "
                + $"RSS before {baseline:0} MiB, peak during {peak:0} MiB (+{peak - baseline:0} MiB)");
        }
    }

    private static async Task ExportAsync(IServiceProvider services, string db, string storage)
    {
        foreach (var mib in new[] { 1, 10, 50 }) // the first one warms up (JIT, pools): compare the other two
        {
            var owner = await NewUserAsync(db);
            var rows = await SeedAccountAsync(db, owner, projects: 500, assets: 50, renders: 8_000, events: 6_000, notifications: 5_450, analytics: 0);
            WriteFiles(db, storage, owner, 50, mib * 1024 * 1024 / 50);
            var export = Guid.CreateVersion7();
            await ExecAsync(db, $"INSERT INTO identity.exports (id, user_id, status, created_at) VALUES ('{export}', '{owner.Value}', 'Queued', now())");
            GC.Collect();
            var (elapsed, peak, baseline) = await SampledAsync(async () =>
            {
                await using var scope = services.CreateAsyncScope();
                var status = await scope.ServiceProvider.GetRequiredService<ISender>().Send(new BuildExportCommand(ExportId.From(export)));
                if (status?.ToString() != "Succeeded")
                {
                    throw new InvalidOperationException($"export ended {status}");
                }
            });
            var size = long.Parse(await ScalarAsync(db, $"SELECT size_bytes::text FROM identity.exports WHERE id = '{export}'"), System.Globalization.CultureInfo.InvariantCulture);
            Console.WriteLine($"export{(mib == 1 ? " (warm-up)" : "")}: {rows:N0} rows + {mib} MiB of files → {size / 1048576.0:0.0} MiB zip in {elapsed.TotalSeconds:0.00} s; RSS before {baseline:0} MiB, peak {peak:0} MiB (+{peak - baseline:0} MiB)");
        }
    }

    private static async Task WithHostAsync(string server, Func<IServiceProvider, string, string, Task> run)
    {
        var name = "renderowl_bench_" + Guid.NewGuid().ToString("N")[..8];
        var admin = new NpgsqlConnectionStringBuilder(server) { Database = "postgres" }.ConnectionString;
        await ExecAsync(admin, $"CREATE DATABASE {name}");
        var db = new NpgsqlConnectionStringBuilder(server)
        {
            Database = name,
            // BENCH_EXPLAIN_MS=n: auto_explain logs the plan of every statement slower than n ms to the server log.
            Options = Environment.GetEnvironmentVariable("BENCH_EXPLAIN_MS") is { Length: > 0 } explainMs
                ? $"-c session_preload_libraries=auto_explain -c auto_explain.log_min_duration={explainMs}" : null,
        }.ConnectionString;
        var storage = Directory.CreateTempSubdirectory("renderowl-bench-").FullName;
        try
        {
            var options = new DbContextOptionsBuilder<AppDbContext>();
            NpgsqlSetup.Configure(options, db);
            await using (var context = new AppDbContext(options.Options))
            {
                await DatabaseMigrator.MigrateAsync(context, NullLogger.Instance);
            }
            Environment.SetEnvironmentVariable("ASPNETCORE_TEST_CONTENTROOT_RENDEROWL_API", Path.Combine(DispatcherThroughput.RepositoryRoot(), "src", "Api"));
            await using var host = new WebApplicationFactory<Program>().WithWebHostBuilder(b =>
            {
                b.UseEnvironment("Benchmark");
                foreach (var (k, v) in new Dictionary<string, string?>
                {
                    ["ConnectionStrings:Primary"] = db,
                    ["ConnectionStrings:Replica"] = db,
                    ["ConnectionStrings:Redis"] = Environment.GetEnvironmentVariable("RENDEROWL_TEST_REDIS") ?? "127.0.0.1:6379",
                    ["Jwt:SigningKey"] = Convert.ToBase64String(new byte[48]),
                    ["Pagination:CursorKey"] = Convert.ToBase64String(new byte[48]),
                    ["Sharing:SigningKey"] = Convert.ToBase64String(new byte[48]),
                    ["DataProtection:KeyEncryptionKey"] = Convert.ToBase64String(new byte[32]),
                    ["Database:MigrateOnStartup"] = "false",
                    ["RenderOwl:Role"] = "api",
                    ["Rendering:StoragePath"] = storage,
                    ["Serilog:MinimumLevel:Default"] = "Warning",
                    ["Serilog:MinimumLevel:Override:RenderOwl.Application.Identity.Deletion"] = "Information", // a line per table deleted
                })
                {
                    b.UseSetting(k, v);
                }
            });
            await run(host.Services, db, storage);
        }
        finally
        {
            NpgsqlConnection.ClearAllPools();
            await ExecAsync(admin, $"DROP DATABASE IF EXISTS {name} WITH (FORCE)");
            Directory.Delete(storage, recursive: true);
        }
    }
}
