using System.Data.Common;
using Microsoft.EntityFrameworkCore.Diagnostics;

namespace RenderOwl.Infrastructure.Observability;

/// <summary>EF Core's side of the query profiler: every executed or failed command of a context, with EF's own duration.</summary>
public sealed class ProfilingCommandInterceptor(QueryProfiler profiler, string database) : DbCommandInterceptor
{
    public override DbDataReader ReaderExecuted(DbCommand command, CommandExecutedEventData eventData, DbDataReader result)
    {
        profiler.Record(command.CommandText, database, eventData.Duration);
        return result;
    }

    public override ValueTask<DbDataReader> ReaderExecutedAsync(DbCommand command, CommandExecutedEventData eventData, DbDataReader result, CancellationToken cancellationToken = default)
    {
        profiler.Record(command.CommandText, database, eventData.Duration);
        return ValueTask.FromResult(result);
    }

    public override int NonQueryExecuted(DbCommand command, CommandExecutedEventData eventData, int result)
    {
        profiler.Record(command.CommandText, database, eventData.Duration);
        return result;
    }

    public override ValueTask<int> NonQueryExecutedAsync(DbCommand command, CommandExecutedEventData eventData, int result, CancellationToken cancellationToken = default)
    {
        profiler.Record(command.CommandText, database, eventData.Duration);
        return ValueTask.FromResult(result);
    }

    public override object? ScalarExecuted(DbCommand command, CommandExecutedEventData eventData, object? result)
    {
        profiler.Record(command.CommandText, database, eventData.Duration);
        return result;
    }

    public override ValueTask<object?> ScalarExecutedAsync(DbCommand command, CommandExecutedEventData eventData, object? result, CancellationToken cancellationToken = default)
    {
        profiler.Record(command.CommandText, database, eventData.Duration);
        return ValueTask.FromResult(result);
    }

    public override void CommandFailed(DbCommand command, CommandErrorEventData eventData)
        => profiler.Record(command.CommandText, database, eventData.Duration);

    public override Task CommandFailedAsync(DbCommand command, CommandErrorEventData eventData, CancellationToken cancellationToken = default)
    {
        profiler.Record(command.CommandText, database, eventData.Duration);
        return Task.CompletedTask;
    }
}
