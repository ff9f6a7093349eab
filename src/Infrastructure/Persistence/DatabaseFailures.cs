using Npgsql;

namespace RenderOwl.Infrastructure.Persistence;

public static class DatabaseFailures
{
    /// <summary>A connection-level database failure (refused, broken, timed out), also behind EF's wrappers — not a SQL error.</summary>
    public static bool IsUnreachable(Exception exception)
    {
        for (var e = exception; e is not null; e = e.InnerException)
        {
            if (e is NpgsqlException { IsTransient: true } and not PostgresException)
            {
                return true;
            }
        }
        return false;
    }
}
