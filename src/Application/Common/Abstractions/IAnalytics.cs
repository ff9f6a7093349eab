using RenderOwl.Domain.Common;

namespace RenderOwl.Application.Common.Abstractions;

/// <summary>For every module: record an analytics event in the caller's unit of work (saved with its changes).</summary>
public interface IAnalyticsRecorder
{
    void Record(UserId owner, ProjectId? project, string name, DateTimeOffset occurredAt, object? properties = null);
}

/// <summary>One event as the API takes it (validated).</summary>
public sealed record IncomingEvent(string Name, DateTimeOffset OccurredAt, string PropertiesJson, ProjectId? ProjectId);

/// <summary>One bucket of <c>GET /v1/analytics/usage</c>.</summary>
public sealed record UsageBucket(DateTimeOffset Bucket, long RendersSubmitted, long RendersSucceeded, long RendersFailed, double RenderSeconds, long OutputBytes, long Events);

/// <summary>The analytics store: bulk ingest, the hourly roll-up, usage from it, and the monthly partitions.</summary>
public interface IAnalyticsStore
{
    /// <summary>Writes the events with one binary COPY; returns how many.</summary>
    Task<int> CopyAsync(UserId owner, IReadOnlyList<IncomingEvent> events, DateTimeOffset receivedAt, CancellationToken cancellationToken);

    /// <summary>Recomputes the hour starting at <paramref name="hour"/> from the events (an upsert: running it twice gives the same figures).</summary>
    Task<int> RollUpHourAsync(DateTimeOffset hour, CancellationToken cancellationToken);

    /// <summary>Deletes up to 1,000 of the account's roll-up rows; returns how many (account deletion).</summary>
    Task<int> DeleteOwnerHoursAsync(UserId owner, CancellationToken cancellationToken);

    Task<IReadOnlyList<UsageBucket>> UsageAsync(UserId owner, ProjectId? project, DateTimeOffset from, DateTimeOffset to, bool daily, CancellationToken cancellationToken);

    /// <summary>Creates the monthly partitions from this month to <paramref name="monthsAhead"/> ahead; drops those wholly before <paramref name="retainFrom"/>. Returns their names.</summary>
    Task<(IReadOnlyList<string> Created, IReadOnlyList<string> Dropped)> MaintainPartitionsAsync(DateTimeOffset now, int monthsAhead, DateTimeOffset retainFrom, CancellationToken cancellationToken);
}

/// <summary>Recomputes given hours of the roll-up off the request (events that arrive for an hour the minutely job no longer covers).</summary>
public interface IUsageRollUps
{
    void Schedule(IReadOnlyCollection<DateTimeOffset> hours);
}
