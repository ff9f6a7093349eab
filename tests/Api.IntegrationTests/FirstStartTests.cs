using Npgsql;
using RenderOwl.Api.IntegrationTests.Infrastructure;

namespace RenderOwl.Api.IntegrationTests;

/// <summary>A newcomer's first start: a fresh, empty database, migrations applied on start, and not one error or warning line.</summary>
public sealed class FirstStartTests(ApiFixture fixture) : ApiTest(fixture)
{
    [Fact]
    public async Task A_first_start_on_an_empty_database_migrates_and_prints_no_error_or_warning_line()
    {
        var database = "renderowl_first_" + Guid.NewGuid().ToString("N")[..8];
        var admin = new NpgsqlConnectionStringBuilder(Fixture.ConnectionString) { Database = "postgres" }.ConnectionString;
        await using (var connection = new NpgsqlConnection(admin))
        {
            await connection.OpenAsync();
            await new NpgsqlCommand($"CREATE DATABASE {database}", connection).ExecuteNonQueryAsync();
        }
        var primary = new NpgsqlConnectionStringBuilder(Fixture.ConnectionString) { Database = database }.ConnectionString;
        var port = ApiProcess.FreePort();
        using var api = ApiProcess.Start(Fixture.Settings(new Dictionary<string, string?>
        {
            ["ConnectionStrings:Primary"] = primary,
            ["ConnectionStrings:Replica"] = primary,
            ["Database:MigrateOnStartup"] = "true",
            ["Serilog:MinimumLevel:Default"] = "Information",
            ["Logging:Json"] = "false",
        }), role: "all", port, environment: "Production");
        var lines = api.Output;
        try
        {
            await api.WaitUntilReadyAsync(port, TimeSpan.FromSeconds(90));
            await Task.Delay(1000); // whatever start-up logs late
            var bad = lines.Where(l => l.Contains(" ERR]", StringComparison.Ordinal) || l.Contains(" WRN]", StringComparison.Ordinal) || l.Contains(" FTL]", StringComparison.Ordinal)
                || l.StartsWith("stderr:", StringComparison.Ordinal)).ToList();
            Assert.True(bad.Count == 0, "the first start printed:\n" + string.Join("\n", bad));
            Assert.Contains(lines, l => l.Contains("Applying", StringComparison.Ordinal) && l.Contains("migration", StringComparison.Ordinal));
        }
        finally
        {
            api.Dispose();
            NpgsqlConnection.ClearAllPools();
            await using var connection = new NpgsqlConnection(admin);
            await connection.OpenAsync();
            await new NpgsqlCommand($"DROP DATABASE IF EXISTS {database} WITH (FORCE)", connection).ExecuteNonQueryAsync();
        }
    }
}
