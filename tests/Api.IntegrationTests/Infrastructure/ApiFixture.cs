using System.Security.Cryptography;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using Npgsql;
using RenderOwl.Infrastructure.Persistence;
using Respawn;
using Respawn.Graph;

namespace RenderOwl.Api.IntegrationTests.Infrastructure;

/// <summary>
/// One fresh database per test run on the real PostgreSQL, migrated once with the real EF migrations;
/// data reset between tests with Respawn (the migrations history and the Hangfire schema are kept).
/// </summary>
public sealed class ApiFixture : IAsyncLifetime
{
    private TestServices? _services;
    private Respawner? _respawner;

    public string DatabaseName { get; } = "renderowl_test_" + Guid.NewGuid().ToString("N")[..10];
    public string StoragePath { get; } = Path.Combine(Path.GetTempPath(), "renderowl-test-storage-" + Guid.NewGuid().ToString("N")[..8]);
    public string ConnectionString { get; private set; } = "";
    /// <summary>This run's database on the streaming replica, when the services have one (scripts/services.sh does).</summary>
    public string? ReplicaConnectionString { get; private set; }
    public string Redis => _services!.Redis;

    /// <summary>The S3-compatible server the S3 storage tests use (started by <c>make test</c>).</summary>
    public string S3Endpoint => _services!.S3
        ?? throw new InvalidOperationException("No S3-compatible server: run `RENDEROWL_S3=1 scripts/services.sh up` (make test does) so RENDEROWL_TEST_S3 is set.");

    /// <summary>Settings that put a process's objects in the S3 server's bucket, with its own local cache folder.</summary>
    public Dictionary<string, string?> S3Settings(string cacheFolder) => new()
    {
        ["Storage:Provider"] = "s3",
        ["Storage:S3:ServiceUrl"] = S3Endpoint,
        ["Storage:S3:Bucket"] = "renderowl",
        ["Storage:S3:AccessKey"] = "S3RVER",
        ["Storage:S3:SecretKey"] = "S3RVER",
        ["Rendering:StoragePath"] = cacheFolder,
    };
    public ApiFactory Factory { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        _services = await TestServices.StartAsync();
        await using (var admin = new NpgsqlConnection(new NpgsqlConnectionStringBuilder(_services.PostgresServer) { Database = "postgres" }.ConnectionString))
        {
            await admin.OpenAsync();
            await using var create = new NpgsqlCommand($"CREATE DATABASE \"{DatabaseName}\"", admin);
            await create.ExecuteNonQueryAsync();
        }
        ConnectionString = new NpgsqlConnectionStringBuilder(_services.PostgresServer) { Database = DatabaseName }.ConnectionString;
        ReplicaConnectionString = _services.PostgresReplica is { } replica
            ? new NpgsqlConnectionStringBuilder(replica) { Database = DatabaseName }.ConnectionString
            : null;

        Factory = CreateFactory();
        await using (var scope = Factory.Services.CreateAsyncScope())
        {
            await DatabaseMigrator.MigrateAsync(scope.ServiceProvider.GetRequiredService<AppDbContext>(), NullLogger.Instance);
        }
        await using var connection = new NpgsqlConnection(ConnectionString);
        await connection.OpenAsync();
        _respawner = await Respawner.CreateAsync(connection, new RespawnerOptions
        {
            DbAdapter = DbAdapter.Postgres,
            SchemasToExclude = [DatabaseMigrator.HangfireSchema],
            TablesToIgnore = [new Table("public", "__ef_migrations_history"), new Table("public", "__migration_audit"), new Table("operations", "data_protection_keys")], // the key ring outlives tests, as in production
        });
    }

    /// <summary>A host on this run's database; <paramref name="settings"/> override configuration for one test.</summary>
    public ApiFactory CreateFactory(IDictionary<string, string?>? settings = null) => new(Settings(settings));

    /// <summary>This run's configuration, with <paramref name="settings"/> on top (also for worker processes started by tests).</summary>
    public Dictionary<string, string?> Settings(IDictionary<string, string?>? settings = null)
    {
        var config = new Dictionary<string, string?>
        {
            ["ConnectionStrings:Primary"] = ConnectionString,
            ["ConnectionStrings:Replica"] = ReplicaConnectionString ?? ConnectionString,
            ["ConnectionStrings:Redis"] = Redis,
            ["Jwt:SigningKey"] = SharedKeys.Jwt,
            ["Pagination:CursorKey"] = SharedKeys.Cursor,
            ["Sharing:SigningKey"] = SharedKeys.Sharing,
            ["DataProtection:KeyEncryptionKey"] = SharedKeys.DataProtection,
            ["Database:MigrateOnStartup"] = "false",
            ["RenderOwl:Role"] = "api",
            ["Serilog:MinimumLevel:Default"] = "Warning",
            // Tests of other features must not trip over limits; RateLimitTests turn them on.
            ["RateLimiting:Enabled"] = "false",
            // Most tests change rows behind the API's back and read them at once; ReplicaRoutingTests turn routing on.
            ["Database:ReadReplica:Enabled"] = "false",
            ["Rendering:StoragePath"] = StoragePath,
            // In-process instances stop at once; GracefulShutdownTests drains a process of its own.
            ["Shutdown:DrainSeconds"] = "0",
        };
        foreach (var (key, value) in settings ?? new Dictionary<string, string?>())
        {
            config[key] = value;
        }
        return config;
    }

    /// <summary>Where an asset's file lies (its storage key is random: read, never derived).</summary>
    public async Task<string> StorageKeyAsync(string assetId)
    {
        await using var connection = new NpgsqlConnection(ConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand("SELECT storage_key FROM assets.assets WHERE id = @id", connection);
        command.Parameters.AddWithValue("id", RenderOwl.Domain.Common.AssetId.Parse(assetId, null).Value);
        return (string)(await command.ExecuteScalarAsync())!;
    }

    public async Task ResetAsync()
    {
        await using var connection = new NpgsqlConnection(ConnectionString);
        await connection.OpenAsync();
        await _respawner!.ResetAsync(connection);
        // Jobs a previous test queued and its worker never ran (retries, exports, deletions) would otherwise land on the
        // next test's single Hangfire worker, ahead of that test's own jobs. Recurring jobs and servers are kept.
        await using var clear = new NpgsqlCommand(
            $"DELETE FROM {DatabaseMigrator.HangfireSchema}.jobqueue; DELETE FROM {DatabaseMigrator.HangfireSchema}.job; " +
            $"DELETE FROM {DatabaseMigrator.HangfireSchema}.set WHERE key = 'schedule';", connection);
        await clear.ExecuteNonQueryAsync();
    }

    public async Task DisposeAsync()
    {
        await Factory.DisposeAsync();
        NpgsqlConnection.ClearAllPools();
        if (_services is not null)
        {
            await using (var admin = new NpgsqlConnection(new NpgsqlConnectionStringBuilder(_services.PostgresServer) { Database = "postgres" }.ConnectionString))
            {
                await admin.OpenAsync();
                await using var drop = new NpgsqlCommand($"DROP DATABASE IF EXISTS \"{DatabaseName}\" WITH (FORCE)", admin);
                await drop.ExecuteNonQueryAsync();
            }
            await _services.DisposeAsync();
        }
        if (Directory.Exists(StoragePath))
        {
            Directory.Delete(StoragePath, recursive: true);
        }
    }

    private static class SharedKeys
    {
        public static readonly string Jwt = Convert.ToBase64String(RandomNumberGenerator.GetBytes(48));
        public static readonly string Cursor = Convert.ToBase64String(RandomNumberGenerator.GetBytes(48));
        public static readonly string DataProtection = Convert.ToBase64String(RandomNumberGenerator.GetBytes(48));
        public static readonly string Sharing = Convert.ToBase64String(RandomNumberGenerator.GetBytes(48));
    }
}

public sealed class ApiFactory(IDictionary<string, string?> settings) : WebApplicationFactory<Program>
{
    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        builder.UseEnvironment("Testing");
        foreach (var (key, value) in settings)
        {
            builder.UseSetting(key, value);
        }
        builder.ConfigureAppConfiguration(c => c.AddInMemoryCollection(settings));
        builder.ConfigureServices(s => s.AddSingleton<Microsoft.AspNetCore.Hosting.IStartupFilter, TestClientAddressFilter>());
    }
}

/// <summary>TestServer requests have no remote address; tests give one with X-Test-Client-IP (test host only).</summary>
public sealed class TestClientAddressFilter : Microsoft.AspNetCore.Hosting.IStartupFilter
{
    public const string Header = "X-Test-Client-IP";

    public Action<Microsoft.AspNetCore.Builder.IApplicationBuilder> Configure(Action<Microsoft.AspNetCore.Builder.IApplicationBuilder> next) => app =>
    {
        app.Use((http, nextMiddleware) =>
        {
            if (http.Request.Headers.TryGetValue(Header, out var ip) && System.Net.IPAddress.TryParse(ip.ToString(), out var address))
            {
                http.Connection.RemoteIpAddress = address;
            }
            return nextMiddleware(http);
        });
        next(app);
    };
}

[CollectionDefinition(Name)]
public sealed class ApiCollection : ICollectionFixture<ApiFixture>
{
    public const string Name = "api";
}

/// <summary>Base for tests through HTTP: every test starts from an empty database.</summary>
[Collection(ApiCollection.Name)]
public abstract class ApiTest(ApiFixture fixture) : IAsyncLifetime
{
    public ApiFixture Fixture { get; } = fixture;

    protected HttpClient Anonymous() => Fixture.Factory.CreateClient();

    public Task InitializeAsync() => Fixture.ResetAsync();

    public Task DisposeAsync() => Task.CompletedTask;
}
