using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using RenderOwl.Api.IntegrationTests.Infrastructure;
using RenderOwl.Application.Common.Abstractions;
using RenderOwl.Application.Common.Caching;
using RenderOwl.Infrastructure.Persistence;

namespace RenderOwl.Api.IntegrationTests;

/// <summary>
/// Database contexts come from EF Core's pool: scopes one after another reuse the contexts earlier ones gave back, and
/// each finds nothing of the lease before it (tracked rows, pending cache tags, changed settings, the last scope's
/// cache invalidation).
/// </summary>
public sealed class PooledContextTests(ApiFixture fixture) : ApiTest(fixture)
{
    [Fact]
    public async Task Scopes_reuse_returned_contexts_and_each_finds_nothing_of_the_last_lease()
    {
        var session = await this.RegisterUserAsync(Anonymous);
        await session.Client.CreateProjectAsync("pooled");
        var scopes = Fixture.Factory.Services.GetRequiredService<IServiceScopeFactory>();

        var seen = new HashSet<AppDbContext>(ReferenceEqualityComparer.Instance);
        const int Leases = 30;
        for (var i = 0; i < Leases; i++)
        {
            await using var scope = scopes.CreateAsyncScope();
            var context = scope.ServiceProvider.GetRequiredService<AppDbContext>();
            seen.Add(context);
            Assert.Same(context, scope.ServiceProvider.GetRequiredService<IAppDbContext>());
            Assert.Same(scope.ServiceProvider.GetRequiredService<CacheInvalidation>(), context.CacheInvalidation);
            Assert.Empty(context.ChangeTracker.Entries());
            Assert.Null(context.PendingCacheTags);
            Assert.Equal(QueryTrackingBehavior.TrackAll, context.ChangeTracker.QueryTrackingBehavior);
            Assert.True(context.ChangeTracker.AutoDetectChangesEnabled);
            Assert.NotEqual(1, context.Database.GetCommandTimeout());

            // leave it dirty for whoever leases it next
            Assert.NotNull(await context.Projects.FirstAsync(p => p.Name == "pooled"));
            Assert.Single(context.ChangeTracker.Entries());
            context.PendingCacheTags = ["left over"];
            context.ChangeTracker.QueryTrackingBehavior = QueryTrackingBehavior.NoTracking;
            context.ChangeTracker.AutoDetectChangesEnabled = false;
            context.Database.SetCommandTimeout(1);
        }
        // Without a pool every scope makes a context of its own; with one, the same few go round (background services
        // lease from the same pool meanwhile, so not necessarily one).
        Assert.True(seen.Count <= Leases / 3, $"{seen.Count} distinct contexts for {Leases} scopes one after another");
    }
}
