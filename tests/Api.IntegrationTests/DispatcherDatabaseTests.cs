using Mediator;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;
using RenderOwl.Api.IntegrationTests.Infrastructure;
using RenderOwl.Application.Common.Media;
using RenderOwl.Application.Rendering;
using RenderOwl.Domain.Common;

namespace RenderOwl.Api.IntegrationTests;

/// <summary>
/// The dispatcher's database side. <c>rendering.claim_renders</c> (ADR 7), called directly on the migrated database: one call claims several
/// renders, in priority order, fair between accounts, and never above an account's cap. And recording an ended attempt.
/// </summary>
public sealed class DispatcherDatabaseTests(ApiFixture fixture) : ApiTest(fixture)
{
    private const short Low = 0, High = 2, Urgent = 3;

    private sealed record Seeded(Guid Id, char Account, short Priority);

    private async Task<NpgsqlConnection> OpenAsync()
    {
        var connection = new NpgsqlConnection(Fixture.ConnectionString);
        await connection.OpenAsync();
        return connection;
    }

    private static Guid AccountId(char account) => Guid.Parse($"00000000-0000-7000-8000-0000000000{(int)account:x2}");

    private static async Task AccountAsync(NpgsqlConnection connection, char account)
    {
        await using (var user = new NpgsqlCommand("""
            INSERT INTO identity.users (id, email, name, password_hash, tier, role, created_at, updated_at)
              VALUES ($1, $2, 'claim test', 'x', 'Pro', 'User', now(), now())
            """, connection))
        {
            user.Parameters.AddWithValue(AccountId(account));
            user.Parameters.AddWithValue($"claim-{account}@example.com");
            await user.ExecuteNonQueryAsync();
        }
        await using var project = new NpgsqlCommand(
            "INSERT INTO projects.projects (id, owner_id, name, render_count, created_at, updated_at) VALUES ($1, $1, 'p', 0, now(), now())", connection);
        project.Parameters.AddWithValue(AccountId(account));
        await project.ExecuteNonQueryAsync();
    }

    /// <summary>Queued renders in the order given (each queued a millisecond after the one before).</summary>
    private static async Task<List<Seeded>> QueueAsync(NpgsqlConnection connection, int cap, params (char Account, short Priority)[] renders)
    {
        var seeded = new List<Seeded>();
        var at = DateTime.UtcNow.AddMinutes(-1);
        foreach (var (account, priority) in renders)
        {
            var id = Guid.CreateVersion7();
            await using var command = new NpgsqlCommand("""
                INSERT INTO rendering.renders (id, project_id, owner_id, status, priority, attempts, max_attempts, concurrency_cap, composition,
                    output_settings, watermark, tags, metadata, asset_ids, progress, created_at, queued_at, next_attempt_at, cancel_requested)
                VALUES ($1, $2, $2, 'Queued', $3, 0, 3, $4, '{"duration": 1, "background": "#000000", "layers": []}',
                    '{"Format": 0, "Width": 64, "Height": 64, "Fps": 5, "Quality": 0}', false, '{}', '{}', '{}', 0, $5, $5, $5, false)
                """, connection);
            command.Parameters.AddWithValue(id);
            command.Parameters.AddWithValue(AccountId(account));
            command.Parameters.AddWithValue(priority);
            command.Parameters.AddWithValue(cap);
            command.Parameters.AddWithValue(at);
            await command.ExecuteNonQueryAsync();
            at = at.AddMilliseconds(1);
            seeded.Add(new Seeded(id, account, priority));
        }
        return seeded;
    }

    /// <summary>One call of <c>rendering.claim_renders</c>: the ids it took, in the order it took them.</summary>
    internal static async Task<List<Guid>> ClaimAsync(NpgsqlConnection connection, string worker, int max)
    {
        await using var command = new NpgsqlCommand("SELECT id FROM rendering.claim_renders($1, 30, $2) ORDER BY started_at", connection);
        command.Parameters.AddWithValue(worker);
        command.Parameters.AddWithValue(max);
        var ids = new List<Guid>();
        await using var reader = await command.ExecuteReaderAsync();
        while (await reader.ReadAsync())
        {
            ids.Add(reader.GetGuid(0));
        }
        return ids;
    }

    [Fact]
    public async Task One_call_claims_several_in_priority_order_fair_between_accounts()
    {
        await using var connection = await OpenAsync();
        foreach (var account in "ABC")
        {
            await AccountAsync(connection, account);
        }
        var r = await QueueAsync(connection, 10,
            ('A', Urgent), ('A', Urgent), ('A', Urgent), ('A', Low), ('A', Low),
            ('B', High), ('B', High),
            ('C', Urgent));

        var first = await ClaimAsync(connection, "w1", 5);

        // The urgent ones first — A's and C's turn by turn, then A's remaining ones — before B's high one; no low one.
        Assert.Equal([r[0].Id, r[7].Id, r[1].Id, r[2].Id, r[5].Id], first);
        await using var rows = new NpgsqlCommand("SELECT count(*) FROM rendering.renders WHERE status = 'Rendering' AND lease_owner = 'w1' AND attempts = 1 AND lease_expires_at > now()", connection);
        Assert.Equal(5L, await rows.ExecuteScalarAsync());
        await using var events = new NpgsqlCommand("SELECT count(*) FROM rendering.render_events WHERE status = 'rendering' AND message = 'started'", connection);
        Assert.Equal(5L, await events.ExecuteScalarAsync());

        // What is left: B's second high one, then A's two low ones.
        Assert.Equal([r[6].Id, r[3].Id, r[4].Id], await ClaimAsync(connection, "w2", 10));
        Assert.Empty(await ClaimAsync(connection, "w2", 10));
    }

    [Fact]
    public async Task A_call_never_takes_an_account_above_its_cap_and_another_account_still_gets_served()
    {
        await using var connection = await OpenAsync();
        await AccountAsync(connection, 'A');
        await AccountAsync(connection, 'B');
        var a = await QueueAsync(connection, 2, ('A', High), ('A', High), ('A', High), ('A', High));
        var b = await QueueAsync(connection, 2, ('B', Low));

        Assert.Equal([a[0].Id, a[1].Id, b[0].Id], await ClaimAsync(connection, "w1", 8));
        Assert.Empty(await ClaimAsync(connection, "w2", 8)); // A is at its cap of 2, B has nothing left

        await using (var finish = new NpgsqlCommand("UPDATE rendering.renders SET status = 'Succeeded', finished_at = now() WHERE id = $1", connection))
        {
            finish.Parameters.AddWithValue(a[0].Id);
            await finish.ExecuteNonQueryAsync();
        }
        Assert.Equal([a[2].Id], await ClaimAsync(connection, "w2", 8));
    }

    [Fact]
    public async Task Concurrent_calls_never_take_one_render_twice_nor_exceed_a_cap()
    {
        await using (var connection = await OpenAsync())
        {
            foreach (var account in "ABCDE")
            {
                await AccountAsync(connection, account);
            }
            await QueueAsync(connection, 3, Enumerable.Range(0, 100).Select(i => ("ABCDE"[i % 5], (short)(i % 4))).ToArray());
        }

        // Eight workers claim at once, again and again, until nothing more can be taken (each account's cap is 3).
        var claims = await Task.WhenAll(Enumerable.Range(0, 8).Select(async w =>
        {
            await using var connection = await OpenAsync();
            var mine = new List<Guid>();
            for (var i = 0; i < 5; i++)
            {
                mine.AddRange(await ClaimAsync(connection, $"w{w}", 2));
            }
            return mine;
        }));

        await using var check = await OpenAsync();
        var all = claims.SelectMany(c => c).Concat(await ClaimAsync(check, "late", 100)).ToList(); // whatever contention left behind
        Assert.Equal(all.Count, all.Distinct().Count());
        Assert.Equal(15, all.Count); // five accounts, three each
        await using var perAccount = new NpgsqlCommand("SELECT max(n) FROM (SELECT count(*) AS n FROM rendering.renders WHERE status = 'Rendering' GROUP BY owner_id) x", check);
        Assert.Equal(3L, await perAccount.ExecuteScalarAsync());
    }

    [Fact]
    public async Task Recording_a_success_twice_keeps_its_output_and_a_lost_lease_discards_the_orphan()
    {
        await using var connection = await OpenAsync();
        await AccountAsync(connection, 'A');
        var r = await QueueAsync(connection, 5, ('A', High), ('A', High));
        Assert.Equal(2, (await ClaimAsync(connection, "w1", 2)).Count);
        var keys = new[] { "renders/recorded-twice.mp4", "renders/orphan.mp4" };
        foreach (var key in keys)
        {
            Directory.CreateDirectory(Path.Combine(Fixture.StoragePath, "renders"));
            await File.WriteAllBytesAsync(Path.Combine(Fixture.StoragePath, key), [1, 2, 3]);
        }
        AttemptOutcome Success(string key) => new AttemptOutcome.Succeeded(new RenderOutput(key, 3, new string('0', 64), new MediaProbe("mp4", "h264", null, 64, 64, 5, 1)));

        async Task<int> RecordAsync(string worker, params FinishedAttempt[] attempts)
        {
            await using var scope = Fixture.Factory.Services.CreateAsyncScope();
            return await scope.ServiceProvider.GetRequiredService<ISender>().Send(new FinishAttemptsCommand(worker, attempts));
        }

        // Both ends in one batch: recorded.
        Assert.Equal(1, await RecordAsync("w1", new FinishedAttempt(new RenderId(r[0].Id), Success(keys[0]))));
        // The same end again (a retry after a commit whose reply was lost): nothing recorded, the output kept.
        Assert.Equal(0, await RecordAsync("w1", new FinishedAttempt(new RenderId(r[0].Id), Success(keys[0]))));
        Assert.True(File.Exists(Path.Combine(Fixture.StoragePath, keys[0])), "the recorded output was deleted");
        // A worker that lost the lease: its output is an orphan and goes.
        Assert.Equal(0, await RecordAsync("someone-else", new FinishedAttempt(new RenderId(r[1].Id), Success(keys[1]))));
        Assert.False(File.Exists(Path.Combine(Fixture.StoragePath, keys[1])), "the orphan output was kept");
        await using var status = new NpgsqlCommand("SELECT status FROM rendering.renders WHERE id = $1", connection);
        status.Parameters.AddWithValue(r[1].Id);
        Assert.Equal("Rendering", await status.ExecuteScalarAsync());
    }

    [Fact]
    public async Task Queue_figures_compute_means_and_nearest_rank_percentiles_in_the_database()
    {
        await using (var connection = await OpenAsync())
        {
            await AccountAsync(connection, 'A');
            var r = await QueueAsync(connection, 50, Enumerable.Range(0, 20).Select(_ => ('A', High)).ToArray());
            // Twenty renders finished in the last hour: wait 1..20 ms, run 101..120 ms; the last two failed (no run time counted).
            for (var i = 0; i < 20; i++)
            {
                await using var finish = new NpgsqlCommand("""
                    UPDATE rendering.renders SET status = $2, started_at = now(), finished_at = now(), wait_ms = $3, run_ms = $4 WHERE id = $1
                    """, connection);
                finish.Parameters.AddWithValue(r[i].Id);
                finish.Parameters.AddWithValue(i < 18 ? "Succeeded" : "Failed");
                finish.Parameters.AddWithValue((long)(i + 1));
                finish.Parameters.AddWithValue((long)(i + 101));
                await finish.ExecuteNonQueryAsync();
            }
        }
        var admin = await this.RegisterAdminAsync(Fixture, Anonymous);
        var figures = await (await admin.GetAsync("/internal/queues")).ReadJsonAsync();
        Assert.Equal((18, 2), (figures["succeeded_last_hour"]!.GetValue<int>(), figures["failed_last_hour"]!.GetValue<int>()));
        Assert.Equal((10.0, 19.0), (figures["wait_p50_ms"]!.GetValue<double>(), figures["wait_p95_ms"]!.GetValue<double>()));
        Assert.Equal((109.0, 118.0), (figures["run_p50_ms"]!.GetValue<double>(), figures["run_p95_ms"]!.GetValue<double>())); // 18 succeeded: ranks 9 and 18
        var high = figures["queues"]!.AsArray().Single(q => q!["name"]!.GetValue<string>() == "renders:high")!;
        Assert.Equal((10.5, 109.5), (high["mean_wait_ms"]!.GetValue<double>(), high["mean_run_ms"]!.GetValue<double>()));
        Assert.Equal((18, 2), (high["succeeded"]!.GetValue<int>(), high["failed"]!.GetValue<int>()));
    }
}
