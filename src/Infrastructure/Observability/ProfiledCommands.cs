using System.Diagnostics;
using Npgsql;

namespace RenderOwl.Infrastructure.Observability;

/// <summary>
/// The query profiler's hook for raw Npgsql commands (idempotency, heartbeats, queue samples, replica probes): Npgsql has
/// no interceptor, so these paths execute through here and are recorded like EF's, failures included.
/// </summary>
public static class ProfiledCommands
{
    public static Task<int> ExecuteNonQueryProfiledAsync(this NpgsqlCommand command, QueryProfiler profiler, string database, CancellationToken cancellationToken = default)
        => Measure(command, profiler, database, c => c.ExecuteNonQueryAsync(cancellationToken));

    public static Task<object?> ExecuteScalarProfiledAsync(this NpgsqlCommand command, QueryProfiler profiler, string database, CancellationToken cancellationToken = default)
        => Measure(command, profiler, database, c => c.ExecuteScalarAsync(cancellationToken));

    public static Task<NpgsqlDataReader> ExecuteReaderProfiledAsync(this NpgsqlCommand command, QueryProfiler profiler, string database, CancellationToken cancellationToken = default)
        => Measure(command, profiler, database, c => c.ExecuteReaderAsync(cancellationToken));

    private static async Task<T> Measure<T>(NpgsqlCommand command, QueryProfiler profiler, string database, Func<NpgsqlCommand, Task<T>> execute)
    {
        var started = Stopwatch.GetTimestamp();
        try
        {
            return await execute(command);
        }
        finally
        {
            profiler.Record(command.CommandText, database, Stopwatch.GetElapsedTime(started));
        }
    }
}
