using System.Diagnostics;
using Npgsql;
using RenderOwl.Domain.Common;

namespace RenderOwl.Benchmarks;

/// <summary>The data-lifecycle benchmark's seeding, SQL and memory sampling.</summary>
public static partial class DataLifecycle
{
    /// <summary>Runs <paramref name="work"/> while sampling the process's resident memory every 20 ms.</summary>
    private static async Task<(TimeSpan Elapsed, double PeakMiB, double BaselineMiB)> SampledAsync(Func<Task> work)
    {
        var baseline = Rss();
        var peak = baseline;
        using var stop = new CancellationTokenSource();
        var sampler = Task.Run(async () =>
        {
            while (!stop.IsCancellationRequested)
            {
                peak = Math.Max(peak, Rss());
                await Task.Delay(20);
            }
        });
        var clock = Stopwatch.StartNew();
        await work();
        var elapsed = clock.Elapsed;
        await stop.CancelAsync();
        await sampler;
        return (elapsed, Math.Max(peak, Rss()), baseline);
    }

    private static double Rss()
    {
        using var process = Process.GetCurrentProcess();
        return process.WorkingSet64 / 1048576.0;
    }

    private static async Task<UserId> NewUserAsync(string db)
    {
        var id = Guid.CreateVersion7();
        await ExecAsync(db, $"""
            INSERT INTO identity.users (id, email, name, password_hash, tier, role, created_at, updated_at)
            VALUES ('{id}', 'bench-{id:N}@example.com', 'Bench', 'x', 'Enterprise', 'User', now(), now())
            """);
        return UserId.From(id);
    }

    /// <summary>The account's rows, made in SQL; returns how many.</summary>
    private static async Task<int> SeedAccountAsync(string db, UserId owner, int projects, int assets, int renders, int events, int notifications, int analytics)
    {
        var u = owner.Value;
        await ExecAsync(db, $$"""
            SET synchronous_commit = off;
            INSERT INTO projects.projects (id, owner_id, name, description, render_count, created_at, updated_at)
            SELECT md5('{{u}}p' || g)::uuid, '{{u}}', 'Project ' || g, 'A project of the benchmark account', 30, now() - make_interval(secs => g), now() FROM generate_series(1, {{projects}}) g;
            INSERT INTO assets.assets (id, project_id, owner_id, kind, content_type, size_bytes, sha256, storage_key, original_name, created_at)
            SELECT md5('{{u}}a' || g)::uuid, md5('{{u}}p' || (1 + g % {{projects}}))::uuid, '{{u}}', 'Image', 'image/png', 0, md5('{{u}}a' || g), 'assets/{{u}}/' || g || '.bin', 'file-' || g || '.png', now()
            FROM generate_series(1, {{assets}}) g;
            INSERT INTO rendering.renders (id, project_id, owner_id, status, priority, attempts, max_attempts, concurrency_cap, composition, watermark, tags,
                metadata, asset_ids, progress, created_at, queued_at, next_attempt_at, started_at, finished_at, cancel_requested, output_settings, wait_ms, run_ms)
            SELECT md5('{{u}}r' || g)::uuid, md5('{{u}}p' || (1 + g % {{projects}}))::uuid, '{{u}}', 'Succeeded', 1, 1, 3, 50,
                '{"duration": 5, "background": "#000000", "layers": [{"type": "text", "text": "Hello from the benchmark", "start": 0, "duration": 5}]}', false, '{bench}',
                '{"customer": "acme"}', '{}', 100, now() - make_interval(secs => g), now() - make_interval(secs => g), now(), now(), now(), false,
                '{"format": "mp4", "width": 1280, "height": 720, "fps": 30}', 5, 2000
            FROM generate_series(1, {{renders}}) g;
            INSERT INTO rendering.render_events (render_id, status, attempt, occurred_at)
            SELECT md5('{{u}}r' || (1 + g % {{renders}}))::uuid, 'Succeeded', 1, now() FROM generate_series(1, {{events}}) g;
            INSERT INTO notifications.notifications (id, user_id, type, title, body, data, created_at)
            SELECT md5('{{u}}n' || g)::uuid, '{{u}}', 'render.succeeded', 'Your render is ready', 'Render finished in 2 s.', '{"render_id": "x"}', now() FROM generate_series(1, {{notifications}}) g;
            INSERT INTO analytics.events (id, owner_id, name, occurred_at, received_at, properties)
            SELECT gen_random_uuid(), '{{u}}', 'editor.opened', now() - make_interval(secs => g), now(), '{"path": "/editor"}' FROM generate_series(1, {{analytics}}) g;
            """);
        return 1 + projects + assets + renders + events + notifications + analytics;
    }

    /// <summary>Writes the account's asset files (random bytes: nothing to compress) where storage expects them; returns the bytes written.</summary>
    private static long WriteFiles(string db, string storage, UserId owner, int count, int size)
    {
        var directory = Path.Combine(storage, "assets", owner.Value.ToString());
        Directory.CreateDirectory(directory);
        var buffer = new byte[size];
        for (var i = 1; i <= count; i++)
        {
            Random.Shared.NextBytes(buffer);
            File.WriteAllBytes(Path.Combine(directory, $"{i}.bin"), buffer);
        }
        ExecAsync(db, $"UPDATE assets.assets SET size_bytes = {size} WHERE owner_id = '{owner.Value}'").GetAwaiter().GetResult();
        return (long)count * size;
    }

    private static async Task ExecAsync(string db, string sql)
    {
        await using var connection = new NpgsqlConnection(db);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection) { CommandTimeout = 600 };
        await command.ExecuteNonQueryAsync();
    }

    private static async Task<string> ScalarAsync(string db, string sql)
    {
        await using var connection = new NpgsqlConnection(db);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection) { CommandTimeout = 600 };
        return (await command.ExecuteScalarAsync())?.ToString() ?? "";
    }
}
