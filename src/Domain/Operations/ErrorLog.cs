using RenderOwl.Domain.Common;

namespace RenderOwl.Domain.Operations;

/// <summary>
/// One server error (a 5xx problem) as the operator sees it, kept until resolved and 90 days more. Its id is a UUIDv7
/// carrying <see cref="OccurredAt"/> to the millisecond, so a lookup by id alone finds its day's partition.
/// </summary>
public sealed class ErrorLog
{
    public const int MaxText = 2000;

    private ErrorLog()
    {
        ProblemType = string.Empty;
        Title = string.Empty;
        Method = string.Empty;
        Path = string.Empty;
        Instance = string.Empty;
    }

    public ErrorLogId Id { get; private set; }
    public DateTimeOffset OccurredAt { get; private set; }
    public int Status { get; private set; }
    /// <summary>The problem's slug (<c>internal-error</c>, <c>service-unavailable</c>, …).</summary>
    public string ProblemType { get; private set; }
    public string Title { get; private set; }
    public string? Detail { get; private set; }
    public string Method { get; private set; }
    /// <summary>The route template (<c>GET /v1/projects/{project_id}</c>), null when no endpoint matched.</summary>
    public string? Route { get; private set; }
    public string Path { get; private set; }
    public string? RequestId { get; private set; }
    public string? TraceId { get; private set; }
    public UserId? UserId { get; private set; }
    /// <summary>The exception's type and message, secrets masked (kept for operators; never sent to any client).</summary>
    public string? ExceptionType { get; private set; }
    public string? ExceptionMessage { get; private set; }
    public string? StackTrace { get; private set; }
    /// <summary>The process that answered (host and process id).</summary>
    public string Instance { get; private set; }
    public bool Resolved { get; private set; }
    public DateTimeOffset? ResolvedAt { get; private set; }

    public static ErrorLog Record(DateTimeOffset occurredAt, int status, string problemType, string title, string? detail, string method, string? route,
        string path, string? requestId, string? traceId, UserId? userId, string? exceptionType, string? exceptionMessage, string? stackTrace, string instance)
    {
        var at = DateTimeOffset.FromUnixTimeMilliseconds(occurredAt.ToUnixTimeMilliseconds());
        return new ErrorLog
        {
            Id = ErrorLogId.From(Guid.CreateVersion7(at)),
            OccurredAt = at,
            Status = status,
            ProblemType = Cut(problemType, 100)!,
            Title = Cut(title, 200)!,
            Detail = Cut(detail, MaxText),
            Method = Cut(method, 10)!,
            Route = Cut(route, 300),
            Path = Cut(path, 300)!,
            RequestId = Cut(requestId, 100),
            TraceId = Cut(traceId, 64),
            UserId = userId,
            ExceptionType = Cut(exceptionType, 300),
            ExceptionMessage = Cut(exceptionMessage, MaxText),
            StackTrace = Cut(stackTrace, 16_000),
            Instance = Cut(instance, 200)!,
        };
    }

    /// <summary>When an error with this id occurred (to the millisecond): the id is a UUIDv7 made from it.</summary>
    public static DateTimeOffset OccurredAtOf(ErrorLogId id)
    {
        Span<byte> bytes = stackalloc byte[16];
        id.Value.TryWriteBytes(bytes, bigEndian: true, out _);
        long ms = 0;
        for (var i = 0; i < 6; i++)
        {
            ms = (ms << 8) | bytes[i];
        }
        return DateTimeOffset.FromUnixTimeMilliseconds(ms);
    }

    public void MarkResolved(bool resolved, DateTimeOffset now)
    {
        if (resolved == Resolved)
        {
            return;
        }
        Resolved = resolved;
        ResolvedAt = resolved ? now : null;
    }

    private static string? Cut(string? text, int max) => text is null || text.Length <= max ? text : text[..max];
}
