using System.Net;
using Hangfire.Storage;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;
using RenderOwl.Api.IntegrationTests.Infrastructure;

namespace RenderOwl.Api.IntegrationTests;

public sealed class IdempotencyTests(ApiFixture fixture) : ApiTest(fixture)
{
    private static HttpRequestMessage Post(string url, object body, string key)
        => TestHttp.Request(HttpMethod.Post, url, body, ("Idempotency-Key", key));

    [Fact]
    public async Task An_hourly_Hangfire_job_purges_keys_older_than_24_hours_and_keeps_the_rest()
    {
        await using (var connection = new NpgsqlConnection(Fixture.ConnectionString))
        {
            await connection.OpenAsync();
            await using var seed = new NpgsqlCommand("""
                INSERT INTO operations.idempotency_keys (scope, key, request_hash, completed, response_status, created_at, expires_at) VALUES
                  ('usr_test', 'expired', 'h', true, 202, now() - interval '25 hours', now() - interval '1 hour'),
                  ('usr_test', 'fresh', 'h', true, 202, now() - interval '23 hours', now() + interval '1 hour')
                """, connection);
            await seed.ExecuteNonQueryAsync();
        }

        await using var worker = Fixture.CreateFactory(Renders.Worker);
        _ = worker.Services; // the worker role registers the recurring job and runs a Hangfire server
        using (var storage = worker.Services.GetRequiredService<Hangfire.JobStorage>().GetConnection())
        {
            var job = Assert.Single(storage.GetRecurringJobs(), j => j.Id == "purge-idempotency-keys");
            Assert.Equal("0 * * * *", job.Cron);
            Assert.Equal("PurgeIdempotencyKeysJob", job.Job.Type.Name);
        }

        // Run it now through Hangfire (queue, server, job activation from DI), as the hour mark would.
        worker.Services.GetRequiredService<Hangfire.IRecurringJobManager>().Trigger("purge-idempotency-keys");
        var left = await Eventually.UntilAsync(KeysAsync, keys => !keys.Contains("expired"), TimeSpan.FromSeconds(30), "the job purged the expired key",
            TimeSpan.FromMilliseconds(200));
        Assert.Equal(["fresh"], left);
    }

    private async Task<List<string>> KeysAsync()
    {
        await using var connection = new NpgsqlConnection(Fixture.ConnectionString);
        await connection.OpenAsync();
        await using var select = new NpgsqlCommand("SELECT key FROM operations.idempotency_keys WHERE scope = 'usr_test' ORDER BY key", connection);
        var keys = new List<string>();
        await using var reader = await select.ExecuteReaderAsync();
        while (await reader.ReadAsync())
        {
            keys.Add(reader.GetString(0));
        }
        return keys;
    }

    [Fact]
    public async Task Fifty_concurrent_identical_posts_create_exactly_one_render()
    {
        var session = await this.RegisterUserAsync(Anonymous);
        var project = (await session.Client.CreateProjectAsync("idem"))["id"]!.GetValue<string>();
        var key = Guid.NewGuid().ToString();
        var body = Renders.Small();
        var responses = await Task.WhenAll(Enumerable.Range(0, 50).Select(_ => session.Client.SendAsync(Post($"/v1/projects/{project}/renders", body, key))));

        Assert.All(responses, r => Assert.True(r.StatusCode is HttpStatusCode.Accepted or HttpStatusCode.Conflict, $"unexpected {(int)r.StatusCode}"));
        var accepted = responses.Where(r => r.StatusCode == HttpStatusCode.Accepted).ToList();
        var ids = new HashSet<string>();
        foreach (var r in accepted)
        {
            ids.Add((await r.ReadJsonAsync())["id"]!.GetValue<string>());
        }
        Assert.Single(ids);
        Assert.Equal(1, accepted.Count(r => !r.Headers.Contains("Idempotent-Replayed")));
        foreach (var conflict in responses.Where(r => r.StatusCode == HttpStatusCode.Conflict))
        {
            await conflict.AssertProblemAsync(HttpStatusCode.Conflict, "idempotency-key-in-use");
        }
        await using var connection = new NpgsqlConnection(Fixture.ConnectionString);
        await connection.OpenAsync();
        await using var count = new NpgsqlCommand("SELECT count(*) FROM rendering.renders", connection);
        Assert.Equal(1L, await count.ExecuteScalarAsync());

        // Afterwards every retry is a faithful replay.
        var replay = await session.Client.SendAsync(Post($"/v1/projects/{project}/renders", body, key));
        Assert.Equal(HttpStatusCode.Accepted, replay.StatusCode);
        Assert.Equal("true", replay.Headers.GetValues("Idempotent-Replayed").Single());
        Assert.Equal(ids.Single(), (await replay.ReadJsonAsync())["id"]!.GetValue<string>());
        Assert.Equal($"/v1/renders/{ids.Single()}", replay.Headers.Location!.ToString());
    }

    [Fact]
    public async Task The_same_key_with_another_body_is_422_and_keys_are_per_account()
    {
        var session = await this.RegisterUserAsync(Anonymous);
        const string key = "create-project-1";
        var first = await session.Client.SendAsync(Post("/v1/projects", new { name = "One" }, key));
        Assert.Equal(HttpStatusCode.Created, first.StatusCode);
        var other = await session.Client.SendAsync(Post("/v1/projects", new { name = "Two" }, key));
        await other.AssertProblemAsync(HttpStatusCode.UnprocessableEntity, "idempotency-key-reused");

        // Another account may use the same key for its own request.
        var stranger = await this.RegisterUserAsync(Anonymous);
        var theirs = await stranger.Client.SendAsync(Post("/v1/projects", new { name = "One" }, key));
        Assert.Equal(HttpStatusCode.Created, theirs.StatusCode);
        Assert.False(theirs.Headers.Contains("Idempotent-Replayed"));
        Assert.NotEqual((await first.ReadJsonAsync())["id"]!.GetValue<string>(), (await theirs.ReadJsonAsync())["id"]!.GetValue<string>());
    }

    [Fact]
    public async Task A_key_longer_than_255_characters_is_400()
    {
        var session = await this.RegisterUserAsync(Anonymous);
        var response = await session.Client.SendAsync(Post("/v1/projects", new { name = "x" }, new string('k', 256)));
        var problem = await response.AssertProblemAsync(HttpStatusCode.BadRequest, "validation-failed");
        Assert.Equal("Idempotency-Key", problem["errors"]![0]!["field"]!.GetValue<string>());
    }
}
