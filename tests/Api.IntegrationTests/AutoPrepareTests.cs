using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;
using RenderOwl.Api.IntegrationTests.Infrastructure;
using RenderOwl.Infrastructure.Observability;
using RenderOwl.Infrastructure.Persistence;

namespace RenderOwl.Api.IntegrationTests;

/// <summary>
/// Statements run often are prepared on each connection (Npgsql's automatic preparation, <c>Database:MaxAutoPrepare</c>),
/// so PostgreSQL stops parsing and planning a primary-key read on every request — except through a transaction pooler,
/// where a statement prepared on one server connection is unknown on the next. Seen from the server: its
/// <c>pg_prepared_statements</c> for the session that ran them.
/// </summary>
public sealed class AutoPrepareTests(ApiFixture fixture) : ApiTest(fixture)
{
    private DataSources Build(IDictionary<string, string?> settings)
        => new(new ConfigurationBuilder().AddInMemoryCollection(settings).Build(), Fixture.Factory.Services.GetRequiredService<QueryProfiler>());

    private static async Task<long> PreparedAfterRepeatsAsync(NpgsqlDataSource pool)
    {
        await using var connection = await pool.OpenConnectionAsync();
        for (var i = 0; i < 8; i++) // more than Npgsql's "Auto Prepare Min Usages" (5)
        {
            await using var read = new NpgsqlCommand("SELECT count(*) FROM projects.projects WHERE id = $1", connection);
            read.Parameters.Add(new NpgsqlParameter<Guid> { TypedValue = Guid.NewGuid() });
            await read.ExecuteScalarAsync();
        }
        await using var count = new NpgsqlCommand("SELECT count(*) FROM pg_prepared_statements WHERE statement LIKE '%projects.projects WHERE id%'", connection);
        return (long)(await count.ExecuteScalarAsync())!;
    }

    [Fact]
    public async Task A_repeated_statement_is_prepared_on_a_direct_primary_and_on_the_replica()
    {
        await using var sources = Build(new Dictionary<string, string?>
        {
            ["ConnectionStrings:Primary"] = Fixture.ConnectionString,
            ["ConnectionStrings:Replica"] = Fixture.ReplicaConnectionString ?? Fixture.ConnectionString + ";Application Name=replica",
        });
        Assert.Equal(1, await PreparedAfterRepeatsAsync(sources.Primary));
        Assert.Equal(1, await PreparedAfterRepeatsAsync(sources.Replica!));
    }

    [Fact]
    public async Task Through_a_transaction_pooler_the_primary_prepares_nothing_but_the_direct_pool_does()
    {
        await using var sources = Build(new Dictionary<string, string?>
        {
            ["ConnectionStrings:Primary"] = Fixture.ConnectionString + ";Application Name=pooler",
            ["ConnectionStrings:PrimaryDirect"] = Fixture.ConnectionString,
        });
        Assert.Equal(0, await PreparedAfterRepeatsAsync(sources.Primary));
        Assert.Equal(1, await PreparedAfterRepeatsAsync(sources.Direct));
    }

    [Fact]
    public async Task Zero_turns_it_off_and_a_connection_string_that_names_it_wins()
    {
        await using (var off = Build(new Dictionary<string, string?> { ["ConnectionStrings:Primary"] = Fixture.ConnectionString, ["Database:MaxAutoPrepare"] = "0" }))
        {
            Assert.Equal(0, await PreparedAfterRepeatsAsync(off.Primary));
        }
        await using var named = Build(new Dictionary<string, string?>
        {
            ["ConnectionStrings:Primary"] = Fixture.ConnectionString + ";Max Auto Prepare=0",
            ["Database:MaxAutoPrepare"] = "64",
        });
        Assert.Equal(0, await PreparedAfterRepeatsAsync(named.Primary));
    }

    [Fact]
    public void A_value_out_of_range_stops_start_up_naming_the_setting()
    {
        var error = Assert.Throws<InvalidOperationException>(() => Build(new Dictionary<string, string?>
        {
            ["ConnectionStrings:Primary"] = Fixture.ConnectionString,
            ["Database:MaxAutoPrepare"] = "-1",
        }));
        Assert.Contains("Database:MaxAutoPrepare", error.Message, StringComparison.Ordinal);
    }
}
