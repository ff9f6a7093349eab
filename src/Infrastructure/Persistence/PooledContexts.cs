using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.Extensions.DependencyInjection;
using RenderOwl.Application.Common.Caching;

namespace RenderOwl.Infrastructure.Persistence;

/// <summary>
/// <see cref="AppDbContext"/>s come from EF Core's context pool: a context made new for every request resolved some
/// forty internal services from EF's own provider, hashed and compared its options against the provider cache and read
/// assembly attributes — a sixth of an uncached read's CPU (docs/benchmarks.md). A pooled one keeps those between
/// leases; EF resets its change tracker, transaction and settings when it comes back. Each request scope leases one
/// (disposing the scope returns it) and hands it the scope's <see cref="CacheInvalidation"/>.
/// </summary>
public static class PooledContexts
{
    /// <summary>Contexts kept for reuse per pool; more are made (and dropped after use) when more are leased at once.</summary>
    public const int PoolSize = 256;

    public static IServiceCollection AddPooledAppDbContext(this IServiceCollection services, Action<IServiceProvider, DbContextOptionsBuilder> configure)
    {
        services.AddPooledDbContextFactory<AppDbContext>(configure, PoolSize);
        services.AddScoped(sp => sp.GetRequiredService<IDbContextFactory<AppDbContext>>().CreateDbContext()
            .Lease(sp.GetService<CacheInvalidation>()));
        return services;
    }

    /// <summary>A pool of its own for contexts on other options (the replica's).</summary>
    public static IDbContextFactory<AppDbContext> PoolFor(DbContextOptions<AppDbContext> options)
        => new PooledDbContextFactory<AppDbContext>(options, PoolSize);
}
