using RenderOwl.Api.IntegrationTests.Infrastructure;

namespace RenderOwl.Api.IntegrationTests;

/// <summary>A newcomer's first start: a fresh, empty database, migrations applied on start, and not one error or warning line.</summary>
public sealed class FirstStartTests(ApiFixture fixture) : ApiTest(fixture)
{
    [Fact]
    public async Task A_first_start_on_an_empty_database_migrates_and_prints_no_error_or_warning_line()
    {
        await using var database = await EmptyDatabase.CreateAsync(Fixture, "first");
        var port = ApiProcess.FreePort();
        using var api = ApiProcess.Start(Fixture.Settings(new Dictionary<string, string?>(database.Settings())
        {
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
            api.Dispose(); // before the database is dropped
        }
    }
}
