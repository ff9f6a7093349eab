using Microsoft.Extensions.DependencyInjection;
using Npgsql;
using RenderOwl.Api.IntegrationTests.Infrastructure;
using RenderOwl.Infrastructure.Persistence.Maintenance;

namespace RenderOwl.Api.IntegrationTests;

/// <summary><c>make db-stats</c>, <c>db-optimize</c> and <c>db-integrity</c> against the real database: what they read, what they find.</summary>
public sealed class DatabaseMaintenanceTests(ApiFixture fixture) : ApiTest(fixture)
{
    [Fact]
    public async Task Integrity_passes_on_real_renders_and_names_a_broken_render_invariant_and_an_orphaned_row()
    {
        var worker = Fixture.CreateFactory(Renders.Worker);
        _ = worker.Services;
        var session = await this.RegisterUserAsync(Anonymous);
        var project = (await session.Client.CreateProjectAsync("checked"))["id"]!.GetValue<string>();
        var done = (await session.Client.SubmitAsync(project, Renders.Small()))["id"]!.GetValue<string>();
        Assert.Equal("succeeded", (await session.Client.WaitForAsync(done, r => r.Status() is "succeeded" or "failed")).Status());
        await worker.DisposeAsync();
        var canceled = (await session.Client.SubmitAsync(project, Renders.Small()))["id"]!.GetValue<string>();
        await session.Client.PostAsync($"/v1/renders/{canceled}/cancel", null);
        var integrity = Fixture.Factory.Services.GetRequiredService<DatabaseIntegrity>();

        var clean = await integrity.CheckAsync(CancellationToken.None);
        Assert.Null(clean.AmcheckUnavailable);
        Assert.True(clean.Healthy, string.Join("\n", clean.Findings.Where(f => f.Problems > 0).Select(f => $"{f.Check}: {string.Join(", ", f.Examples)}")));
        var indexes = Assert.Single(clean.Findings, f => f.Kind == "index");
        Assert.Matches(@"bt_index_check on \d{2,} B-tree", indexes.Check);
        Assert.Contains(clean.Findings, f => f.Kind == "foreign key" && f.Check.StartsWith("fk_render_events_renders_render_id", StringComparison.Ordinal));
        Assert.Contains(clean.Findings, f => f.Kind == "reference" && f.Check.StartsWith("rendering.renders.owner_id", StringComparison.Ordinal));

        var id = RenderOwl.Domain.Common.RenderId.Parse(done, null).Value;
        await ExecuteAsync($"UPDATE rendering.renders SET output = NULL WHERE id = '{id}'");
        var orphanOwner = Guid.NewGuid();
        await ExecuteAsync($"INSERT INTO projects.projects (id, owner_id, name, description, render_count, created_at, updated_at) VALUES (gen_random_uuid(), '{orphanOwner}', 'orphan', '', 0, now(), now())");

        var broken = await integrity.CheckAsync(CancellationToken.None);
        Assert.False(broken.Healthy);
        var render = Assert.Single(broken.Findings, f => f.Problems > 0 && f.Kind == "render");
        Assert.Equal("a succeeded render has an output, progress 100 and a finish time", render.Check);
        Assert.Equal([id.ToString()], render.Examples);
        var reference = Assert.Single(broken.Findings, f => f.Problems > 0 && f.Kind == "reference");
        Assert.Equal("projects.projects.owner_id → identity.users", reference.Check);
        Assert.Equal([orphanOwner.ToString()], reference.Examples);
        Assert.Equal(2, broken.Findings.Count(f => f.Problems > 0));
    }

    [Fact]
    public async Task Stats_read_sizes_and_the_oldest_transaction_and_optimize_vacuums_every_table()
    {
        var session = await this.RegisterUserAsync(Anonymous);
        for (var i = 0; i < 5; i++)
        {
            await session.Client.CreateProjectAsync($"p{i}");
        }
        await ExecuteAsync("DELETE FROM projects.projects WHERE name IN ('p0', 'p1')");
        await using var open = new NpgsqlConnection(Fixture.ConnectionString);
        await open.OpenAsync();
        await using var transaction = await open.BeginTransactionAsync();
        await new NpgsqlCommand("SELECT count(*) FROM identity.users", open, transaction).ExecuteScalarAsync();

        var stats = await Fixture.Factory.Services.GetRequiredService<DatabaseStats>().ReadAsync(CancellationToken.None);
        Assert.True(stats.DatabaseBytes > 1_000_000);
        Assert.NotNull(stats.CacheHitRatio);
        Assert.NotNull(stats.Oldest);
        Assert.Contains("SELECT count(*) FROM identity.users", stats.Oldest!.Query, StringComparison.Ordinal);
        var projects = Assert.Single(stats.Tables, t => t.Name == "projects.projects");
        Assert.True(projects.TableBytes > 0 && projects.IndexBytes > 0);
        Assert.Contains(stats.Tables, t => t.Name.StartsWith("analytics.events_y", StringComparison.Ordinal)); // partitions listed with their own figures
        Assert.NotEmpty(stats.Indexes);
        await transaction.RollbackAsync();

        var vacuumed = await Fixture.Factory.Services.GetRequiredService<DatabaseOptimizer>().VacuumAnalyzeAsync(null, CancellationToken.None);
        Assert.Contains(vacuumed, v => v.Table == "projects.projects");
        Assert.Contains(vacuumed, v => v.Table == "analytics.events");
        Assert.DoesNotContain(vacuumed, v => v.Table.StartsWith("analytics.events_y", StringComparison.Ordinal)); // covered by their parent
        var after = await Fixture.Factory.Services.GetRequiredService<DatabaseStats>().ReadAsync(CancellationToken.None);
        var vacuumedProjects = Assert.Single(after.Tables, t => t.Name == "projects.projects");
        // (Tuple counts are not asserted: other sessions flush their statistics up to a second late.)
        Assert.NotNull(vacuumedProjects.LastVacuum);
    }

    private async Task ExecuteAsync(string sql)
    {
        await using var connection = new NpgsqlConnection(Fixture.ConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        await command.ExecuteNonQueryAsync();
    }
}
