using System.IO.Compression;
using System.Net;
using System.Net.Http.Json;
using System.Security.Cryptography;
using System.Text.Json.Nodes;
using Mediator;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;
using RenderOwl.Api.IntegrationTests.Infrastructure;
using RenderOwl.Application.Identity.Deletion;
using RenderOwl.Domain.Common;
using RenderOwl.Infrastructure.Persistence;

namespace RenderOwl.Api.IntegrationTests;

/// <summary>Exports (the zip's contents, no secrets) and account deletion (credentials refused at once, resumable, nothing left in any table or in storage).</summary>
public sealed class AccountDataTests(ApiFixture fixture) : ApiTest(fixture)
{
    [Fact]
    public async Task An_export_holds_every_table_and_file_of_the_account_and_no_secret()
    {
        await using var worker = Fixture.CreateFactory(Renders.Worker); // renders, and runs the export job
        var (session, project, asset, render, key) = await FilledAccountAsync(worker);

        var created = await session.Client.PostAsync("/v1/me/exports", null);
        Assert.Equal(HttpStatusCode.Accepted, created.StatusCode);
        var location = created.Headers.Location!.ToString();
        var export = await created.ReadJsonAsync();
        Assert.StartsWith("exp_", export["id"]!.GetValue<string>());
        Assert.Equal($"/v1/me/exports/{export["id"]}", location);
        var status = await Eventually.UntilAsync(async () => await (await session.Client.GetAsync(location)).ReadJsonAsync(),
            e => e["status"]!.GetValue<string>() is "succeeded" or "failed", TimeSpan.FromSeconds(60), "the export job finishes");
        Assert.Equal("succeeded", status["status"]!.GetValue<string>());

        var download = await session.Client.GetAsync(status["download_url"]!.GetValue<string>());
        Assert.Equal(HttpStatusCode.OK, download.StatusCode);
        Assert.Equal("application/zip", download.Content.Headers.ContentType!.MediaType);
        var bytes = await download.Content.ReadAsByteArrayAsync();
        Assert.Equal(status["size_bytes"]!.GetValue<long>(), bytes.Length);
        using var zip = new ZipArchive(new MemoryStream(bytes));
        var names = zip.Entries.Select(e => e.FullName).ToHashSet();
        foreach (var name in new[] { "account.json", "projects.json", "assets.json", "templates.json", "renders.json", "api_keys.json", "webhooks.json", "notifications.json", "analytics_events.jsonl" })
        {
            Assert.Contains(name, names);
        }
        Assert.Equal(session.Email, Read(zip, "account.json")["email"]!.GetValue<string>());
        Assert.Equal(project, Read(zip, "projects.json")[0]!["id"]!.GetValue<string>());
        Assert.Equal(asset, Read(zip, "assets.json")[0]!["id"]!.GetValue<string>());
        var renders = Read(zip, "renders.json").AsArray();
        Assert.Equal(render["id"]!.GetValue<string>(), Assert.Single(renders)!["id"]!.GetValue<string>());
        Assert.Single(Read(zip, "webhooks.json").AsArray());
        Assert.Contains("render.submitted", Text(zip, "analytics_events.jsonl"));
        // The asset's bytes, and the render's output byte for byte (its SHA-256 as the API gives it).
        Assert.Equal(TestMedia.Png, Bytes(zip, $"files/assets/{asset}.png"));
        Assert.Equal(render["output"]!["sha256"]!.GetValue<string>(), Convert.ToHexStringLower(SHA256.HashData(Bytes(zip, $"files/renders/{render["id"]}.mp4"))));
        // No secret, hash or storage key anywhere in the JSON.
        var json = string.Concat(zip.Entries.Where(e => !e.FullName.StartsWith("files/", StringComparison.Ordinal)).Select(e => Text(zip, e.FullName)));
        Assert.DoesNotContain(key, json);
        Assert.DoesNotContain("password", json, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("key_hash", json);
        Assert.DoesNotContain("whsec_", json);
        Assert.DoesNotContain("storage_key", json);
        Assert.DoesNotContain("pbkdf2", json, StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public async Task An_export_not_yet_built_answers_409_and_another_account_gets_404()
    {
        var session = await this.RegisterUserAsync(Anonymous);
        var created = await (await session.Client.PostAsync("/v1/me/exports", null)).ReadJsonAsync(); // no worker here: it stays queued
        Assert.Equal("queued", created["status"]!.GetValue<string>());
        Assert.Null(created["download_url"]);

        await (await session.Client.GetAsync($"/v1/me/exports/{created["id"]}/download")).AssertProblemAsync(HttpStatusCode.Conflict, "export-not-ready");
        await (await session.Client.PostAsync("/v1/me/exports", null)).AssertProblemAsync(HttpStatusCode.Conflict, "export-in-progress");
        var other = await this.RegisterUserAsync(Anonymous);
        await (await other.Client.GetAsync($"/v1/me/exports/{created["id"]}")).AssertProblemAsync(HttpStatusCode.NotFound, "not-found");
        await (await other.Client.GetAsync($"/v1/me/exports/{created["id"]}/download")).AssertProblemAsync(HttpStatusCode.NotFound, "not-found");
        await (await other.Client.GetAsync("/v1/me/exports/exp_nope")).AssertProblemAsync(HttpStatusCode.BadRequest, "invalid-id");
    }

    [Fact]
    public async Task Deleting_an_account_refuses_its_credentials_at_once_then_removes_every_row_and_file_even_after_a_stop()
    {
        Session session;
        string asset, key;
        JsonNode render;
        await using (var worker = Fixture.CreateFactory(Renders.Worker))
        {
            (session, _, asset, render, key) = await FilledAccountAsync(worker);
        } // stopped: the deletion below is driven by hand, not by its job
        var keys = new List<string> { await Fixture.StorageKeyAsync(asset), await OutputKeyAsync(render["id"]!.GetValue<string>()) };
        var user = UserId.Parse(session.UserId, null);
        var ids = await OwnedIdsAsync(user);
        var client = Anonymous();
        client.DefaultRequestHeaders.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", session.AccessToken);
        var byKey = Anonymous();
        byKey.DefaultRequestHeaders.Add("X-API-Key", key);
        Assert.Equal(HttpStatusCode.OK, (await byKey.GetAsync("/v1/me")).StatusCode);

        // A key cannot step up; a wrong password is refused; nothing changes.
        await (await byKey.SendAsync(TestHttp.Request(HttpMethod.Delete, "/v1/me", new { }))).AssertProblemAsync(HttpStatusCode.Unauthorized, "reauth-required");
        await (await byKey.SendAsync(TestHttp.Request(HttpMethod.Delete, "/v1/me", new { password = "wrong password!" }))).AssertProblemAsync(HttpStatusCode.Unauthorized, "invalid-credentials");
        Assert.Equal(HttpStatusCode.OK, (await byKey.GetAsync("/v1/me")).StatusCode);

        var deleted = await client.SendAsync(TestHttp.Request(HttpMethod.Delete, "/v1/me", new { password = session.Password }));
        Assert.Equal(HttpStatusCode.Accepted, deleted.StatusCode);

        // Refused at once: the session's token, the API key, a new login, the refresh token.
        Assert.Equal(HttpStatusCode.Unauthorized, (await client.GetAsync("/v1/me")).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await byKey.GetAsync("/v1/me")).StatusCode);
        await (await Anonymous().PostAsJsonAsync("/v1/auth/login", new { email = session.Email, password = session.Password })).AssertProblemAsync(HttpStatusCode.Unauthorized, "invalid-credentials");
        Assert.Equal(HttpStatusCode.Unauthorized, (await Anonymous().PostAsync("/v1/auth/refresh", TestHttp.Json($"{{\"refresh_token\": \"{session.RefreshToken}\"}}"))).StatusCode);

        // A file whose rows were deleted just before a crash: left in the queue, removed by the next run.
        var orphan = "assets/2026/" + Guid.NewGuid().ToString("N");
        Directory.CreateDirectory(Path.GetDirectoryName(Path.Combine(Fixture.StoragePath, orphan))!);
        await File.WriteAllBytesAsync(Path.Combine(Fixture.StoragePath, orphan), [1, 2, 3]);
        await Database.ExecuteAsync(Fixture, $"INSERT INTO operations.file_deletions (storage_key, enqueued_at) VALUES ('{orphan}', now())");

        // The job stopped after two chunks (as a crash would stop it): part is gone, part is left.
        var sender = Fixture.Factory.Services.GetRequiredService<ISender>();
        var first = await sender.Send(new DeleteAccountDataCommand(user, MaxChunks: 2));
        Assert.Equal(DeletionState.Paused, first.State);
        Assert.False(File.Exists(Path.Combine(Fixture.StoragePath, orphan)));
        Assert.Equal(1L, await Database.CountAsync(Fixture, $"SELECT count(*) FROM identity.users WHERE id = '{user.Value}'"));
        Assert.Equal(1L, await Database.CountAsync(Fixture, $"SELECT count(*) FROM projects.projects WHERE owner_id = '{user.Value}'"));

        var rest = await sender.Send(new DeleteAccountDataCommand(user));
        Assert.Equal(DeletionState.Done, rest.State);
        Assert.Equal(1, rest.Removed["users"]);
        Assert.Equal(1, rest.Removed["renders"]);
        Assert.Equal(1, rest.Removed["assets"]);

        var leftovers = await LeftoversAsync(ids);
        Assert.Empty(leftovers);
        Assert.All(keys, k => Assert.False(File.Exists(Path.Combine(Fixture.StoragePath, k)), k));
        Assert.Equal(0L, await Database.CountAsync(Fixture, "SELECT count(*) FROM operations.file_deletions"));
        // Running it again finds nothing to do.
        Assert.Equal(DeletionState.Done, (await sender.Send(new DeleteAccountDataCommand(user))).State);
    }

    [Fact]
    public async Task The_deletion_job_never_touches_an_account_that_did_not_ask()
    {
        var session = await this.RegisterUserAsync(Anonymous);
        var progress = await Fixture.Factory.Services.GetRequiredService<ISender>().Send(new DeleteAccountDataCommand(UserId.Parse(session.UserId, null)));
        Assert.Equal(DeletionState.NotRequested, progress.State);
        Assert.Equal(HttpStatusCode.OK, (await session.Client.GetAsync("/v1/me")).StatusCode);
    }

    /// <summary>An account with a project, an asset, a succeeded render (with its notification, events and webhook delivery), an API key, a webhook, an analytics event and an idempotent POST.</summary>
    private async Task<(Session Session, string Project, string Asset, JsonNode Render, string Key)> FilledAccountAsync(ApiFactory worker)
    {
        var session = await this.RegisterUserAsync(worker.CreateClient);
        var project = (await session.Client.CreateProjectAsync("everything"))["id"]!.GetValue<string>();
        var asset = (await (await session.Client.PostAsync($"/v1/projects/{project}/assets", TestMedia.Multipart(TestMedia.Png, "logo.png", "image/png"))).ReadJsonAsync())["id"]!.GetValue<string>();
        var key = (await (await session.Client.PostAsJsonAsync("/v1/api-keys", new { name = "ci" })).ReadJsonAsync())["key"]!.GetValue<string>();
        Assert.Equal(HttpStatusCode.Created, (await session.Client.PostAsJsonAsync($"/v1/projects/{project}/webhooks", new { url = "https://hooks.example.com/renderowl", events = new[] { "render.succeeded" } })).StatusCode);
        var events = TestHttp.Request(HttpMethod.Post, "/v1/analytics/events",
            new { events = new[] { new { name = "editor.opened", occurred_at = DateTimeOffset.UtcNow.AddMinutes(-1), properties = new { a = 1 } } } }, ("Idempotency-Key", "events-1"));
        Assert.Equal(HttpStatusCode.Accepted, (await session.Client.SendAsync(events)).StatusCode);
        var id = (await session.Client.SubmitAsync(project, Renders.Small(duration: 1)))["id"]!.GetValue<string>();
        var render = await session.Client.WaitForAsync(id, r => r.Status() == "succeeded");
        return (session, project, asset, render, key);
    }

    private async Task<string> OutputKeyAsync(string renderId)
        => (string)(await ScalarAsync($"SELECT output->>'StorageKey' FROM rendering.renders WHERE id = '{RenderId.Parse(renderId, null).Value}'"))!;

    /// <summary>Every id of the account and of what it owns, raw and as the API writes it, and its e-mail.</summary>
    private async Task<List<string>> OwnedIdsAsync(UserId user)
    {
        var values = new List<string> { user.Value.ToString(), user.ToString(), (string)(await ScalarAsync($"SELECT email FROM identity.users WHERE id = '{user.Value}'"))! };
        foreach (var (sql, format) in new (string, Func<Guid, string>)[]
        {
            ($"SELECT id FROM projects.projects WHERE owner_id = '{user.Value}'", g => new ProjectId(g).ToString()),
            ($"SELECT id FROM assets.assets WHERE owner_id = '{user.Value}'", g => new AssetId(g).ToString()),
            ($"SELECT id FROM rendering.renders WHERE owner_id = '{user.Value}'", g => new RenderId(g).ToString()),
            ($"SELECT id FROM identity.api_keys WHERE user_id = '{user.Value}'", g => new ApiKeyId(g).ToString()),
            ($"SELECT id FROM webhooks.endpoints WHERE owner_id = '{user.Value}'", g => new WebhookId(g).ToString()),
            ($"SELECT id FROM notifications.notifications WHERE user_id = '{user.Value}'", g => new NotificationId(g).ToString()),
        })
        {
            foreach (var id in await GuidsAsync(sql))
            {
                values.Add(id.ToString());
                values.Add(format(id));
            }
        }
        Assert.True(values.Count >= 13, string.Join(", ", values));
        return values;
    }

    /// <summary>
    /// Walks every table of EF's model (so a new table is covered without editing this test) and every other table of
    /// the product's schemas (the roll-up, outside the model), every column, and returns where any of the values still appears.
    /// </summary>
    private async Task<List<string>> LeftoversAsync(List<string> values)
    {
        using var scope = Fixture.Factory.Services.CreateScope();
        var model = scope.ServiceProvider.GetRequiredService<AppDbContext>().Model;
        var tables = model.GetEntityTypes().Where(t => t.GetTableName() is not null && t.GetViewName() is null)
            .Select(t => $"{t.GetSchema() ?? "public"}.{t.GetTableName()}").ToHashSet();
        Assert.Contains("identity.exports", tables);
        Assert.Contains("analytics.events", tables);
        var catalog = await ColumnsAsync();
        foreach (var table in catalog.Keys)
        {
            tables.Add(table);
        }
        var pattern = string.Join("|", values.Select(v => System.Text.RegularExpressions.Regex.Escape(v)));
        var found = new List<string>();
        foreach (var table in tables.Order())
        {
            Assert.True(catalog.ContainsKey(table), $"{table} is in the model but not in the database");
            var predicate = string.Join(" OR ", catalog[table].Select(c => $"\"{c}\"::text ~* @pattern"));
            await using var connection = new NpgsqlConnection(Fixture.ConnectionString);
            await connection.OpenAsync();
            await using var command = new NpgsqlCommand($"SELECT count(*) FROM {table} WHERE {predicate}", connection);
            command.Parameters.AddWithValue("pattern", pattern);
            if ((long)(await command.ExecuteScalarAsync())! > 0)
            {
                found.Add(table);
            }
        }
        return found;
    }

    /// <summary>Each table of the product's schemas (partitions folded into their parent) with its columns.</summary>
    private async Task<Dictionary<string, List<string>>> ColumnsAsync()
    {
        await using var connection = new NpgsqlConnection(Fixture.ConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand("""
            SELECT n.nspname || '.' || c.relname, a.attname
            FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace JOIN pg_attribute a ON a.attrelid = c.oid AND a.attnum > 0 AND NOT a.attisdropped
            WHERE c.relkind IN ('r', 'p') AND NOT c.relispartition AND n.nspname NOT IN ('pg_catalog', 'information_schema', 'hangfire', 'public', 'pg_toast')
            ORDER BY 1, a.attnum
            """, connection);
        await using var reader = await command.ExecuteReaderAsync();
        var columns = new Dictionary<string, List<string>>();
        while (await reader.ReadAsync())
        {
            var table = reader.GetString(0);
            if (!columns.TryGetValue(table, out var list))
            {
                columns[table] = list = [];
            }
            list.Add(reader.GetString(1));
        }
        return columns;
    }

    private async Task<List<Guid>> GuidsAsync(string sql)
    {
        await using var connection = new NpgsqlConnection(Fixture.ConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        await using var reader = await command.ExecuteReaderAsync();
        var ids = new List<Guid>();
        while (await reader.ReadAsync())
        {
            ids.Add(reader.GetGuid(0));
        }
        return ids;
    }

    private async Task<object?> ScalarAsync(string sql)
    {
        await using var connection = new NpgsqlConnection(Fixture.ConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        return await command.ExecuteScalarAsync();
    }

    private static string Text(ZipArchive zip, string name)
    {
        using var reader = new StreamReader(zip.GetEntry(name)!.Open());
        return reader.ReadToEnd();
    }

    private static JsonNode Read(ZipArchive zip, string name) => JsonNode.Parse(Text(zip, name))!;

    private static byte[] Bytes(ZipArchive zip, string name)
    {
        using var stream = zip.GetEntry(name)!.Open();
        using var copy = new MemoryStream();
        stream.CopyTo(copy);
        return copy.ToArray();
    }
}
