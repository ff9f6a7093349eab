using Microsoft.EntityFrameworkCore;
using Npgsql;
using Npgsql.EntityFrameworkCore.PostgreSQL.Infrastructure;

namespace RenderOwl.Infrastructure.Persistence;

/// <summary>How every <see cref="AppDbContext"/> talks to PostgreSQL: snake_case names, the migrations' history table, retries on the primary.</summary>
public static class NpgsqlSetup
{
    /// <param name="options">The context's options.</param>
    /// <param name="dataSource">The database's pool (<see cref="DataSources"/>).</param>
    /// <param name="retryOnFailure">EF retries transient failures (the primary); the replica does not — its reads fall back to the primary instead.</param>
    public static void Configure(DbContextOptionsBuilder options, NpgsqlDataSource dataSource, bool retryOnFailure = true)
        => options.UseNpgsql(dataSource, npgsql => Provider(npgsql, retryOnFailure)).UseSnakeCaseNamingConvention();

    /// <summary>The same on a connection string, for design-time tools (<c>dotnet ef</c>), which have no service provider.</summary>
    public static void Configure(DbContextOptionsBuilder options, string connectionString)
        => options.UseNpgsql(connectionString, npgsql => Provider(npgsql, retryOnFailure: true)).UseSnakeCaseNamingConvention();

    private static void Provider(NpgsqlDbContextOptionsBuilder npgsql, bool retryOnFailure)
    {
        npgsql.MigrationsAssembly(typeof(AppDbContext).Assembly.FullName);
        npgsql.MigrationsHistoryTable("__ef_migrations_history", "public");
        if (retryOnFailure)
        {
            npgsql.EnableRetryOnFailure(3, TimeSpan.FromSeconds(2), null);
        }
    }
}
