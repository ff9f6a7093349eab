using Npgsql;
using RenderOwl.Api.IntegrationTests.Infrastructure;

namespace RenderOwl.Api.IntegrationTests;

/// <summary>The migration commands as an operator runs them (the built binary): dry run, status, checksums that refuse a changed migration.</summary>
public sealed class MigrationAuditTests(ApiFixture fixture) : ApiTest(fixture)
{
    private static readonly TimeSpan Within = TimeSpan.FromSeconds(90);

    [Fact]
    public async Task Migrations_are_timed_and_checksummed_a_dry_run_applies_nothing_and_a_changed_one_refuses_start_up()
    {
        await using var database = await EmptyDatabase.CreateAsync(Fixture, "audit");
        var primary = database.ConnectionString;
        var settings = Fixture.Settings(database.Settings());
        // The dry run prints every migration's SQL, guarded by its history row, and creates nothing.
        var dryRun = await ApiProcess.RunAsync(settings, Within, "db", "migrate-dry-run");
        Assert.True(dryRun.ExitCode == 0, dryRun.Output);
        Assert.Contains("CREATE TABLE identity.users", dryRun.Output, StringComparison.Ordinal);
        Assert.Contains("IF NOT EXISTS(SELECT 1 FROM public.__ef_migrations_history WHERE \"migration_id\" = '20261123163332_InitialCreate')", dryRun.Output, StringComparison.Ordinal);
        Assert.Equal(0L, await ScalarAsync<long>(primary, "SELECT count(*) FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace WHERE c.relkind IN ('r', 'p') AND n.nspname NOT IN ('pg_catalog', 'information_schema') AND n.nspname NOT LIKE 'pg_toast%'"));

        var before = await ApiProcess.RunAsync(settings, Within, "db", "migrate-status");
        Assert.True(before.ExitCode == 0, before.Output);
        var migrations = before.Output.Split('\n').Count(l => l.Contains(" PENDING ", StringComparison.Ordinal));
        Assert.True(migrations >= 15, before.Output);
        Assert.Contains($"0 applied, {migrations} pending.", before.Output, StringComparison.Ordinal);

        // Applied one by one: each recorded with when, how long and its SQL's SHA-256.
        var migrate = await ApiProcess.RunAsync(new Dictionary<string, string?>(settings) { ["Database:MigrateOnStartup"] = "true" }, Within, "db", "migrate");
        Assert.True(migrate.ExitCode == 0, migrate.Output);
        Assert.Equal((long)migrations, await ScalarAsync<long>(primary,
            "SELECT count(*) FROM public.__migration_audit WHERE applied_at IS NOT NULL AND duration_ms >= 0 AND checksum_sha256 ~ '^[0-9a-f]{64}$'"));
        Assert.Equal((long)migrations, await ScalarAsync<long>(primary, "SELECT count(*) FROM public.__ef_migrations_history"));
        var original = await ScalarAsync<string>(primary, "SELECT checksum_sha256 FROM public.__migration_audit WHERE migration_id = '20261123172228_AssetsAndTemplates'");

        // An applied migration whose SQL no longer matches (as if edited after it ran): start-up refuses, saying which.
        await ExecuteAsync(primary, $"UPDATE public.__migration_audit SET checksum_sha256 = repeat('0', 64) WHERE migration_id = '20261123172228_AssetsAndTemplates'");
        using (var api = ApiProcess.Start(settings, "api", ApiProcess.FreePort()))
        {
            using var timeout = new CancellationTokenSource(Within);
            await api.Process.WaitForExitAsync(timeout.Token);
            api.Process.WaitForExit();
            var output = string.Join("\n", api.Output);
            Assert.True(api.Process.ExitCode == 1, output);
            Assert.Contains("stderr: RenderOwl cannot start: applied migration(s) changed since they ran:", output, StringComparison.Ordinal);
            Assert.Contains($"20261123172228_AssetsAndTemplates: applied sha256 {new string('0', 64)}, code sha256 {original}", output, StringComparison.Ordinal);
        }
        var status = await ApiProcess.RunAsync(settings, Within, "db", "migrate-status");
        Assert.Equal(1, status.ExitCode);
        Assert.Contains("20261123172228_AssetsAndTemplates", status.Output.Split('\n').Single(l => l.Contains("CHANGED (", StringComparison.Ordinal)), StringComparison.Ordinal);
        Assert.Equal(migrations - 1, status.Output.Split('\n').Count(l => l.Contains(" applied ", StringComparison.Ordinal) && l.Contains(" ok ", StringComparison.Ordinal)));

        // Accepting on purpose records the code's checksum again.
        var accept = await ApiProcess.RunAsync(new Dictionary<string, string?>(settings) { ["Database:AcceptChangedMigrations"] = "true" }, Within, "db", "migrate");
        Assert.True(accept.ExitCode == 0, accept.Output);
        Assert.Equal(original, await ScalarAsync<string>(primary, "SELECT checksum_sha256 FROM public.__migration_audit WHERE migration_id = '20261123172228_AssetsAndTemplates'"));
        var dryRunAfter = await ApiProcess.RunAsync(settings, Within, "db", "migrate-dry-run");
        Assert.Contains("Nothing to apply", dryRunAfter.Output, StringComparison.Ordinal);
    }

    private static async Task ExecuteAsync(string connectionString, string sql)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        await command.ExecuteNonQueryAsync();
    }

    private static async Task<T> ScalarAsync<T>(string connectionString, string sql)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        return (T)(await command.ExecuteScalarAsync())!;
    }
}
