using System.Diagnostics;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using Npgsql;
using RenderOwl.Api.IntegrationTests.Infrastructure;
using StackExchange.Redis;

namespace RenderOwl.Api.IntegrationTests;

/// <summary>Rate limits with the shipped numbers (free tier: burst 20, 60/min), on real Redis.</summary>
public sealed class RateLimitTests(ApiFixture fixture) : ApiTest(fixture)
{
    private const int FreeBurst = 20;
    private static readonly Dictionary<string, string?> Enabled = new() { ["RateLimiting:Enabled"] = "true" };

    private static string NewIp() => $"10.{Random.Shared.Next(256)}.{Random.Shared.Next(256)}.{Random.Shared.Next(1, 255)}";

    /// <summary>Clients of one new client address: a session's requests all come from where it registered.</summary>
    private static Func<HttpClient> ClientsAt(ApiFactory factory)
    {
        var ip = NewIp();
        return () => From(factory, ip);
    }

    private static HttpClient From(ApiFactory factory, string ip)
    {
        var client = factory.CreateClient();
        client.DefaultRequestHeaders.Add(TestClientAddressFilter.Header, ip);
        return client;
    }

    [Fact]
    public async Task The_burst_passes_then_429_with_Retry_After_then_it_refills()
    {
        await using var factory = Fixture.CreateFactory(Enabled);
        var session = await this.RegisterUserAsync(ClientsAt(factory));

        // Count what passes until the first 429. The bucket refills at 1 token/s, so a slow run may let through
        // exactly as many extra requests as whole seconds went by; never more.
        var started = Stopwatch.StartNew();
        var accepted = 0;
        HttpResponseMessage refused;
        while (true)
        {
            var response = await session.Client.GetAsync("/v1/me");
            if (response.StatusCode == HttpStatusCode.TooManyRequests)
            {
                refused = response;
                break;
            }
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            accepted++;
            var remaining = int.Parse(response.Headers.GetValues("X-RateLimit-Remaining").Single(), System.Globalization.CultureInfo.InvariantCulture);
            var refill = (int)Math.Floor(started.Elapsed.TotalSeconds);
            Assert.InRange(remaining + accepted, FreeBurst, FreeBurst + refill);
            Assert.Equal($"\"free\";q={FreeBurst};w={FreeBurst}", response.Headers.GetValues("RateLimit-Policy").Single());
            Assert.StartsWith($"\"free\";r={remaining};t=", response.Headers.GetValues("RateLimit").Single(), StringComparison.Ordinal);
            Assert.Equal(FreeBurst.ToString(System.Globalization.CultureInfo.InvariantCulture), response.Headers.GetValues("X-RateLimit-Limit").Single());
            Assert.True(accepted <= FreeBurst + refill, "more requests passed than the burst and the refill allow");
        }
        Assert.InRange(accepted, FreeBurst, FreeBurst + (int)Math.Floor(started.Elapsed.TotalSeconds));
        await refused.AssertProblemAsync(HttpStatusCode.TooManyRequests, "rate-limited");
        var retryAfter = refused.Headers.RetryAfter!.Delta!.Value;
        Assert.InRange(retryAfter.TotalSeconds, 1, 2);
        Assert.Equal("0", refused.Headers.GetValues("X-RateLimit-Remaining").Single());
        Assert.StartsWith("\"free\";r=0;t=", refused.Headers.GetValues("RateLimit").Single(), StringComparison.Ordinal);

        await Task.Delay(retryAfter + TimeSpan.FromMilliseconds(100));
        var again = await session.Client.GetAsync("/v1/me");
        Assert.Equal(HttpStatusCode.OK, again.StatusCode);
        var usage = (await again.ReadJsonAsync())["usage"]!;
        Assert.Equal(FreeBurst, usage["requests_burst"]!.GetValue<int>());
        Assert.Equal(again.Headers.GetValues("X-RateLimit-Remaining").Single(), usage["requests_remaining"]!.GetValue<int>().ToString(System.Globalization.CultureInfo.InvariantCulture));
    }

    [Fact]
    public async Task Two_instances_sharing_Redis_enforce_one_budget_per_API_key()
    {
        await using var a = Fixture.CreateFactory(Enabled);
        await using var b = Fixture.CreateFactory(Enabled);
        var session = await this.RegisterUserAsync(ClientsAt(a));
        var key = await CreateKeyAsync(session.Client, "shared");
        var onA = From(a, NewIp());
        var onB = From(b, NewIp());
        onA.DefaultRequestHeaders.Add("X-API-Key", key);
        onB.DefaultRequestHeaders.Add("X-API-Key", key);

        var started = Stopwatch.StartNew();
        var accepted = 0;
        for (var i = 0; i < 30; i++)
        {
            var response = await (i % 2 == 0 ? onA : onB).GetAsync("/v1/projects");
            Assert.True(response.StatusCode is HttpStatusCode.OK or HttpStatusCode.TooManyRequests, $"unexpected {(int)response.StatusCode}");
            accepted += response.StatusCode == HttpStatusCode.OK ? 1 : 0;
        }
        // The budget is the burst plus what refilled (1 token/s) while the loop ran.
        var refilled = (int)Math.Floor(started.Elapsed.TotalSeconds);
        Assert.InRange(accepted, FreeBurst, FreeBurst + refilled + 1);
    }

    [Fact]
    public async Task A_large_budget_is_decided_mostly_from_leases_while_far_from_empty_and_still_holds_exactly_across_two_instances()
    {
        // 1,024 requests, refilled at 1 a minute: leases of 32 tokens while the bucket stays over half full.
        var large = new Dictionary<string, string?>(Enabled) { ["Tiers:Limits:free:Burst"] = "1024", ["Tiers:Limits:free:RequestsPerMinute"] = "1" };
        await using var a = Fixture.CreateFactory(large);
        await using var b = Fixture.CreateFactory(large);
        var session = await this.RegisterUserAsync(ClientsAt(a));
        var key = await CreateKeyAsync(session.Client, "leased");
        var onA = From(a, NewIp());
        var onB = From(b, NewIp());
        onA.DefaultRequestHeaders.Add("X-API-Key", key);
        onB.DefaultRequestHeaders.Add("X-API-Key", key);
        await using var redis = await ConnectionMultiplexer.ConnectAsync(Fixture.Redis + ",allowAdmin=true");
        var server = redis.GetServer(redis.GetEndPoints()[0]);

        var accepted = 0;
        var remaining = new List<int>();
        async Task SendAsync(int i)
        {
            var response = await (i % 2 == 0 ? onA : onB).GetAsync("/v1/me");
            Assert.True(response.StatusCode is HttpStatusCode.OK or HttpStatusCode.TooManyRequests, $"unexpected {(int)response.StatusCode}");
            accepted += response.StatusCode == HttpStatusCode.OK ? 1 : 0;
            remaining.Add(int.Parse(response.Headers.GetValues("X-RateLimit-Remaining").Single(), System.Globalization.CultureInfo.InvariantCulture));
        }

        var scriptsBefore = await ScriptCallsAsync(server);
        for (var i = 0; i < 400; i++)
        {
            await SendAsync(i);
        }
        var scriptCalls = await ScriptCallsAsync(server) - scriptsBefore;
        Assert.Equal(400, accepted);
        Assert.True(scriptCalls < 100, $"{scriptCalls} Redis decisions for 400 requests far from the limit");
        // The header counts the answering instance's unused lease as still there, not the other's (up to 32 more).
        Assert.InRange(remaining[^1], 1024 - 400 - 32 - 1, 1024 - 400 + 1);

        for (var i = 400; i < 1200 && remaining[^1] > 0 || i < 1100; i++)
        {
            await SendAsync(i);
        }
        // Near the limit every decision is Redis's own, and unused lease tokens went back: the budget holds exactly
        // (plus the odd token refilled while the loop ran).
        Assert.InRange(accepted, 1024 - 1, 1024 + 2);
        Assert.Equal(0, remaining[^1]);
    }

    private static async Task<long> ScriptCallsAsync(IServer server)
    {
        var stats = (await server.InfoAsync("commandstats")).SelectMany(g => g).ToDictionary(p => p.Key, p => p.Value);
        long Calls(string command) => stats.TryGetValue("cmdstat_" + command, out var v) ? long.Parse(v.Split(',')[0].Split('=')[1], System.Globalization.CultureInfo.InvariantCulture) : 0;
        return Calls("evalsha") + Calls("eval");
    }

    [Fact]
    public async Task Redis_going_away_limits_locally_without_errors_and_sharing_resumes_when_it_returns()
    {
        await using var redis = await OwnedRedis.StartAsync();
        await using var factory = Fixture.CreateFactory(new Dictionary<string, string?>(Enabled) { ["ConnectionStrings:Redis"] = redis.ConnectionString });
        var session = await this.RegisterUserAsync(ClientsAt(factory));
        Assert.Equal(HttpStatusCode.OK, (await session.Client.GetAsync("/v1/me")).StatusCode);
        await using (var probe = await ConnectionMultiplexer.ConnectAsync(redis.ConnectionString))
        {
            Assert.True(await probe.GetDatabase().KeyExistsAsync("rl:" + session.UserId), "the bucket lives in Redis while it is up");
        }

        await redis.StopAsync();
        var statuses = new List<HttpStatusCode>();
        for (var i = 0; i < FreeBurst + 5; i++)
        {
            statuses.Add((await session.Client.GetAsync("/v1/me")).StatusCode);
        }
        Assert.All(statuses, s => Assert.True((int)s < 500, $"got {(int)s} while Redis was down"));
        Assert.Contains(HttpStatusCode.OK, statuses);
        Assert.Contains(HttpStatusCode.TooManyRequests, statuses); // still limited, by the local bucket

        await redis.StartAgainAsync();
        await using var after = await ConnectionMultiplexer.ConnectAsync(redis.ConnectionString);
        await Eventually.UntilAsync(async () =>
        {
            var status = (await session.Client.GetAsync("/v1/me")).StatusCode;
            Assert.True((int)status < 500);
            return await after.GetDatabase().KeyExistsAsync("rl:" + session.UserId);
        }, TimeSpan.FromSeconds(30), "the limiter went back to Redis", TimeSpan.FromMilliseconds(250));
    }

    [Fact]
    public async Task A_revoked_key_is_refused_at_once_also_on_another_instance()
    {
        await using var a = Fixture.CreateFactory();
        await using var b = Fixture.CreateFactory();
        var session = await this.RegisterUserAsync(a.CreateClient);
        var key = await CreateKeyAsync(session.Client, "ci");
        var keyId = (await (await session.Client.GetAsync("/v1/api-keys")).ReadJsonAsync())["items"]![0]!["id"]!.GetValue<string>();

        var onB = b.CreateClient();
        onB.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", key);
        Assert.Equal(HttpStatusCode.OK, (await onB.GetAsync("/v1/projects")).StatusCode); // cached in Redis by instance B

        Assert.Equal(HttpStatusCode.NoContent, (await session.Client.DeleteAsync($"/v1/api-keys/{keyId}")).StatusCode);
        var refused = await onB.GetAsync("/v1/projects");
        await refused.AssertProblemAsync(HttpStatusCode.Unauthorized, "unauthorized");
        Assert.Contains("invalid_token", refused.Headers.WwwAuthenticate.ToString(), StringComparison.Ordinal);
        var list = await (await session.Client.GetAsync("/v1/api-keys")).ReadJsonAsync();
        Assert.Empty(list["items"]!.AsArray());
    }

    [Fact]
    public async Task Keys_show_once_are_stored_hashed_and_report_their_mode()
    {
        var session = await this.RegisterUserAsync(Anonymous);
        var created = await session.Client.PostAsJsonAsync("/v1/api-keys", new { name = "sandbox", mode = "test" });
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        var body = await created.ReadJsonAsync();
        var key = body["key"]!.GetValue<string>();
        Assert.StartsWith("rok_test_", key, StringComparison.Ordinal);
        Assert.StartsWith(body["prefix"]!.GetValue<string>(), key, StringComparison.Ordinal);
        Assert.Equal("test", body["mode"]!.GetValue<string>());

        var withKey = Anonymous();
        withKey.DefaultRequestHeaders.Add("X-API-Key", key);
        var me = await (await withKey.GetAsync("/v1/me")).ReadJsonAsync();
        Assert.Equal("test", me["mode"]!.GetValue<string>());
        Assert.Equal(body["id"]!.GetValue<string>(), me["api_key_id"]!.GetValue<string>());
        Assert.Equal(60, me["limits"]!["requests_per_minute"]!.GetValue<int>());
        var sessionMe = await (await session.Client.GetAsync("/v1/me")).ReadJsonAsync();
        Assert.Equal("live", sessionMe["mode"]!.GetValue<string>());

        var listed = await (await session.Client.GetAsync("/v1/api-keys")).ReadJsonAsync();
        var item = listed["items"]![0]!;
        Assert.Null(item["key"]);
        Assert.DoesNotContain(key, listed.ToJsonString(), StringComparison.Ordinal);

        await using var connection = new NpgsqlConnection(Fixture.ConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand("SELECT key_hash, prefix FROM identity.api_keys", connection);
        await using var reader = await command.ExecuteReaderAsync();
        Assert.True(await reader.ReadAsync());
        Assert.NotEqual(key, reader.GetString(0));
        Assert.Equal(64, reader.GetString(0).Length);
        Assert.True(key.Length > reader.GetString(1).Length + 20);

        var bad = Anonymous();
        bad.DefaultRequestHeaders.Add("X-API-Key", "rok_live_not-a-real-key");
        await (await bad.GetAsync("/v1/me")).AssertProblemAsync(HttpStatusCode.Unauthorized, "unauthorized");
    }

    [Fact]
    public async Task Last_use_of_a_key_is_recorded_without_a_write_per_request()
    {
        var session = await this.RegisterUserAsync(Anonymous);
        var key = await CreateKeyAsync(session.Client, "used");
        var withKey = Anonymous();
        withKey.DefaultRequestHeaders.Add("X-API-Key", key);
        for (var i = 0; i < 5; i++)
        {
            Assert.Equal(HttpStatusCode.OK, (await withKey.GetAsync("/v1/projects")).StatusCode);
        }
        var before = await (await session.Client.GetAsync("/v1/api-keys")).ReadJsonAsync();
        Assert.Null(before["items"]![0]!["last_used_at"]); // noted in memory, not written per request
        var tracker = (RenderOwl.Infrastructure.Security.ApiKeyUsageTracker)Fixture.Factory.Services.GetService(typeof(RenderOwl.Infrastructure.Security.ApiKeyUsageTracker))!;
        await tracker.FlushAsync(CancellationToken.None);
        var after = await (await session.Client.GetAsync("/v1/api-keys")).ReadJsonAsync();
        Assert.NotNull(after["items"]![0]!["last_used_at"]);
    }

    [Fact]
    public async Task Six_failed_logins_are_429_but_the_right_password_from_another_ip_works()
    {
        await using var factory = Fixture.CreateFactory(Enabled);
        var session = await this.RegisterUserAsync(ClientsAt(factory));
        var attacker = From(factory, NewIp());
        for (var i = 0; i < 5; i++)
        {
            var wrong = await attacker.PostAsJsonAsync("/v1/auth/login", new { email = session.Email, password = $"guess number {i}" });
            await wrong.AssertProblemAsync(HttpStatusCode.Unauthorized, "invalid-credentials");
        }
        var sixth = await attacker.PostAsJsonAsync("/v1/auth/login", new { email = session.Email, password = "guess number 6" });
        await sixth.AssertProblemAsync(HttpStatusCode.TooManyRequests, "rate-limited");
        var wait = sixth.Headers.RetryAfter?.Delta ?? TimeSpan.Zero;
        Assert.True(wait.TotalMinutes is > 14 and <= 15, $"Retry-After {wait}");
        var evenRight = await attacker.PostAsJsonAsync("/v1/auth/login", new { email = session.Email, password = session.Password });
        await evenRight.AssertProblemAsync(HttpStatusCode.TooManyRequests, "rate-limited");

        var owner = await From(factory, NewIp()).PostAsJsonAsync("/v1/auth/login", new { email = session.Email, password = session.Password });
        Assert.Equal(HttpStatusCode.OK, owner.StatusCode);
    }

    [Fact]
    public async Task Anonymous_requests_are_limited_per_ip_and_violations_are_recorded()
    {
        await using var factory = Fixture.CreateFactory(Enabled);
        var ip = NewIp();
        var anonymous = From(factory, ip);
        // Until the per-IP bucket (burst 10) refuses: on a busy machine it refills a little while the burst is sent,
        // so the count is not fixed; an anonymous read keeps the failed-login throttle out of it.
        HttpResponseMessage? last = null;
        var passed = 0;
        for (var i = 0; i < 40 && last?.StatusCode != HttpStatusCode.TooManyRequests; i++)
        {
            last = await anonymous.GetAsync("/v1/meta/errors");
            passed += last.StatusCode == HttpStatusCode.OK ? 1 : 0;
        }
        Assert.True(passed >= 10, $"only {passed} requests passed before the limit");
        await last!.AssertProblemAsync(HttpStatusCode.TooManyRequests, "rate-limited");
        Assert.Equal("\"anonymous\";q=10;w=20", last!.Headers.GetValues("RateLimit-Policy").Single());
        Assert.Equal(HttpStatusCode.OK, (await From(factory, NewIp()).GetAsync("/v1/meta/errors")).StatusCode); // another address is not affected

        var admin = await AdminAsync(factory);
        var items = await Eventually.UntilAsync(async () => (await (await admin.GetAsync($"/internal/rate-limits/violations?principal=ip:{ip}")).ReadJsonAsync())["items"]!.AsArray(),
            found => found.Count > 0, TimeSpan.FromSeconds(10), "the violation was written", TimeSpan.FromMilliseconds(200));
        Assert.Equal("anonymous", items[0]!["policy"]!.GetValue<string>());
        Assert.Equal("/v1/meta/errors", items[0]!["path"]!.GetValue<string>());
    }

    [Fact]
    public async Task X_Forwarded_For_is_believed_only_from_a_trusted_proxy()
    {
        // No trusted proxy (the default): a client sending a new X-Forwarded-For with every request still spends one
        // bucket, its own connection's.
        await using (var direct = Fixture.CreateFactory(Enabled))
        {
            var client = From(direct, NewIp());
            var refused = false;
            for (var i = 0; i < 40 && !refused; i++)
            {
                using var request = new HttpRequestMessage(HttpMethod.Get, "/v1/meta/errors");
                request.Headers.Add("X-Forwarded-For", NewIp());
                refused = (await client.SendAsync(request)).StatusCode == HttpStatusCode.TooManyRequests;
            }
            Assert.True(refused, "40 anonymous requests with forged X-Forwarded-For values were never limited");
        }

        // Behind a trusted proxy: each forwarded client has its own bucket; the proxy's own address is not the key.
        var proxy = NewIp();
        await using var behind = Fixture.CreateFactory(new Dictionary<string, string?>(Enabled) { ["Proxy:Trusted:0"] = proxy });
        var viaProxy = From(behind, proxy);
        async Task<HttpResponseMessage> ForwardedAsync(string client)
        {
            using var request = new HttpRequestMessage(HttpMethod.Get, "/v1/meta/errors");
            request.Headers.Add("X-Forwarded-For", client);
            return await viaProxy.SendAsync(request);
        }
        var spender = NewIp();
        HttpResponseMessage? last = null;
        for (var i = 0; i < 40 && last?.StatusCode != HttpStatusCode.TooManyRequests; i++)
        {
            last = await ForwardedAsync(spender);
        }
        Assert.Equal(HttpStatusCode.TooManyRequests, last!.StatusCode);
        var other = await ForwardedAsync(NewIp());
        Assert.Equal(HttpStatusCode.OK, other.StatusCode);
        Assert.Equal("9", other.Headers.GetValues("X-RateLimit-Remaining").Single()); // a fresh bucket of 10

        var admin = await AdminAsync(behind);
        await Eventually.UntilAsync(async () => (await (await admin.GetAsync($"/internal/rate-limits/violations?principal=ip:{spender}")).ReadJsonAsync())["items"]!.AsArray(),
            found => found.Count > 0, TimeSpan.FromSeconds(10), "the violation was recorded under the forwarded address", TimeSpan.FromMilliseconds(200));
    }

    [Fact]
    public async Task A_tier_change_by_an_admin_applies_to_api_keys_at_once()
    {
        await using var factory = Fixture.CreateFactory(Enabled);
        var session = await this.RegisterUserAsync(ClientsAt(factory));
        var key = await CreateKeyAsync(session.Client, "upgrade");
        var withKey = From(factory, NewIp());
        withKey.DefaultRequestHeaders.Add("X-API-Key", key);
        Assert.Equal("20", (await withKey.GetAsync("/v1/projects")).Headers.GetValues("X-RateLimit-Limit").Single());

        var admin = await AdminAsync(factory);
        var patched = await admin.PatchAsJsonAsync($"/internal/accounts/{session.UserId}", new { tier = "starter" });
        Assert.Equal(HttpStatusCode.OK, patched.StatusCode);
        Assert.Equal("starter", (await patched.ReadJsonAsync())["tier"]!.GetValue<string>());
        Assert.Equal("50", (await withKey.GetAsync("/v1/projects")).Headers.GetValues("X-RateLimit-Limit").Single());

        var asUser = await session.Client.PatchAsJsonAsync($"/internal/accounts/{session.UserId}", new { tier = "enterprise" });
        await asUser.AssertProblemAsync(HttpStatusCode.Forbidden, "forbidden");
    }

    private Task<HttpClient> AdminAsync(ApiFactory factory)
    {
        var ip = NewIp();
        return this.RegisterAdminAsync(Fixture, () => From(factory, ip));
    }

    private static async Task<string> CreateKeyAsync(HttpClient client, string name)
    {
        var response = await client.PostAsJsonAsync("/v1/api-keys", new { name });
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        return (await response.ReadJsonAsync())["key"]!.GetValue<string>();
    }
}
