using System.Diagnostics;
using Npgsql;
using NpgsqlTypes;
using RenderOwl.Application.Common.Abstractions;
using RenderOwl.Domain.Common;
using RenderOwl.Infrastructure.Observability;
using RenderOwl.Infrastructure.Persistence;

namespace RenderOwl.Infrastructure.Analytics;

/// <summary>The analytics tables on the primary, through raw Npgsql: a binary COPY per ingest, the roll-up upsert, usage, partitions.</summary>
public sealed class AnalyticsStore(DataSources databases) : IAnalyticsStore
{
    public async Task<int> CopyAsync(UserId owner, IReadOnlyList<IncomingEvent> events, DateTimeOffset receivedAt, CancellationToken cancellationToken)
    {
        var started = Stopwatch.GetTimestamp();
        await using var connection = await databases.Primary.OpenConnectionAsync(cancellationToken);
        await using (var import = await connection.BeginBinaryImportAsync(AnalyticsSql.Copy, cancellationToken))
        {
            var received = Clock.ToStoragePrecision(receivedAt);
            foreach (var e in events)
            {
                await import.StartRowAsync(cancellationToken);
                await import.WriteAsync(Guid.CreateVersion7(receivedAt), NpgsqlDbType.Uuid, cancellationToken);
                await import.WriteAsync(owner.Value, NpgsqlDbType.Uuid, cancellationToken);
                if (e.ProjectId is { } project)
                {
                    await import.WriteAsync(project.Value, NpgsqlDbType.Uuid, cancellationToken);
                }
                else
                {
                    await import.WriteNullAsync(cancellationToken);
                }
                await import.WriteAsync(e.Name, NpgsqlDbType.Varchar, cancellationToken);
                await import.WriteAsync(Clock.ToStoragePrecision(e.OccurredAt), NpgsqlDbType.TimestampTz, cancellationToken);
                await import.WriteAsync(received, NpgsqlDbType.TimestampTz, cancellationToken);
                await import.WriteAsync(e.PropertiesJson, NpgsqlDbType.Jsonb, cancellationToken);
            }
            await import.CompleteAsync(cancellationToken);
        }
        databases.Profiler.Record(AnalyticsSql.Copy, DataSources.PrimaryName, Stopwatch.GetElapsedTime(started));
        return events.Count;
    }

    public async Task<int> RollUpHourAsync(DateTimeOffset hour, CancellationToken cancellationToken)
    {
        await using var command = databases.Primary.CreateCommand(AnalyticsSql.RollUpHour);
        command.Parameters.Add(new NpgsqlParameter<DateTimeOffset> { TypedValue = hour });
        return await command.ExecuteNonQueryProfiledAsync(databases.Profiler, DataSources.PrimaryName, cancellationToken);
    }

    public async Task<int> DeleteOwnerHoursAsync(UserId owner, CancellationToken cancellationToken)
    {
        await using var command = databases.Primary.CreateCommand(AnalyticsSql.DeleteOwnerHours);
        command.Parameters.Add(new NpgsqlParameter<Guid> { TypedValue = owner.Value });
        return await command.ExecuteNonQueryProfiledAsync(databases.Profiler, DataSources.PrimaryName, cancellationToken);
    }

    public async Task<IReadOnlyList<UsageBucket>> UsageAsync(UserId owner, ProjectId? project, DateTimeOffset from, DateTimeOffset to, bool daily, CancellationToken cancellationToken)
    {
        await using var command = databases.Primary.CreateCommand(AnalyticsSql.Usage);
        command.Parameters.Add(new NpgsqlParameter<Guid> { TypedValue = owner.Value });
        command.Parameters.Add(new NpgsqlParameter { Value = project is { } p ? p.Value : DBNull.Value, NpgsqlDbType = NpgsqlDbType.Uuid });
        command.Parameters.Add(new NpgsqlParameter<DateTimeOffset> { TypedValue = from });
        command.Parameters.Add(new NpgsqlParameter<DateTimeOffset> { TypedValue = to });
        command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = daily ? "day" : "hour", NpgsqlDbType = NpgsqlDbType.Text });
        await using var reader = await command.ExecuteReaderProfiledAsync(databases.Profiler, DataSources.PrimaryName, cancellationToken);
        var buckets = new List<UsageBucket>();
        while (await reader.ReadAsync(cancellationToken))
        {
            buckets.Add(new UsageBucket(new DateTimeOffset(DateTime.SpecifyKind(reader.GetDateTime(0), DateTimeKind.Utc)), reader.GetInt64(1), reader.GetInt64(2),
                reader.GetInt64(3), Math.Round(reader.GetDouble(4), 3), reader.GetInt64(5), reader.GetInt64(6)));
        }
        return buckets;
    }

    public async Task<(IReadOnlyList<string> Created, IReadOnlyList<string> Dropped)> MaintainPartitionsAsync(
        DateTimeOffset now, int monthsAhead, DateTimeOffset retainFrom, CancellationToken cancellationToken)
    {
        await using var connection = await databases.Primary.OpenConnectionAsync(cancellationToken);
        var created = new List<string>();
        await using (var ensure = new NpgsqlCommand(AnalyticsSql.EnsurePartitions, connection))
        {
            ensure.Parameters.Add(new NpgsqlParameter<DateTime> { TypedValue = new DateTime(now.Year, now.Month, 1), NpgsqlDbType = NpgsqlDbType.Date });
            ensure.Parameters.Add(new NpgsqlParameter<int> { TypedValue = monthsAhead + 1 });
            if (await ensure.ExecuteScalarProfiledAsync(databases.Profiler, DataSources.PrimaryName, cancellationToken) is string[] names)
            {
                created.AddRange(names);
            }
        }
        var expired = new List<string>();
        await using (var list = new NpgsqlCommand(AnalyticsSql.Partitions, connection))
        await using (var reader = await list.ExecuteReaderProfiledAsync(databases.Profiler, DataSources.PrimaryName, cancellationToken))
        {
            while (await reader.ReadAsync(cancellationToken))
            {
                if (new DateTimeOffset(DateTime.SpecifyKind(reader.GetDateTime(1), DateTimeKind.Utc)) <= retainFrom)
                {
                    expired.Add(reader.GetString(0));
                }
            }
        }
        foreach (var name in expired)
        {
            // Names come from the catalogue and match ^events_y[0-9]{4}m[0-9]{2}$: safe to splice.
            await using var drop = new NpgsqlCommand($"ALTER TABLE analytics.events DETACH PARTITION analytics.{name}; DROP TABLE analytics.{name}", connection);
            await drop.ExecuteNonQueryProfiledAsync(databases.Profiler, DataSources.PrimaryName, cancellationToken);
        }
        return (created, expired);
    }
}
