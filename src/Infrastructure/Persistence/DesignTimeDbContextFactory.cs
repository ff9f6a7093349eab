using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Design;

namespace RenderOwl.Infrastructure.Persistence;

/// <summary>
/// For <c>dotnet ef migrations add</c>: needs no running database. <c>dotnet ef database update</c> takes the
/// connection from <c>ConnectionStrings__Primary</c> (as written by scripts/services.sh) or <c>--connection</c>.
/// </summary>
public sealed class DesignTimeDbContextFactory : IDesignTimeDbContextFactory<AppDbContext>
{
    public AppDbContext CreateDbContext(string[] args)
    {
        var connection = Environment.GetEnvironmentVariable("ConnectionStrings__Primary")
            ?? "Host=127.0.0.1;Port=5432;Database=renderowl;Username=postgres";
        var options = new DbContextOptionsBuilder<AppDbContext>();
        NpgsqlSetup.Configure(options, connection);
        return new AppDbContext(options.Options);
    }
}
