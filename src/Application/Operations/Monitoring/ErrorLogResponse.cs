using System.Linq.Expressions;
using RenderOwl.Application.Common.Pagination;
using RenderOwl.Domain.Common;
using RenderOwl.Domain.Operations;

namespace RenderOwl.Application.Operations.Monitoring;

/// <summary>
/// One server error as <c>GET /internal/errors</c> shows it. The exception's type, message and stack trace stay in the
/// table (for psql and Sentry, which has them too): no stack trace or internal name leaves the server, even to admins.
/// </summary>
public sealed record ErrorLogResponse(ErrorLogId Id, DateTimeOffset OccurredAt, int Status, string Type, string Title, string? Detail, string Method,
    string? Route, string Path, string? RequestId, string? TraceId, UserId? UserId, string Instance, bool Resolved, DateTimeOffset? ResolvedAt)
{
    internal static readonly Keyset<ErrorLog> Keyset = Keysets.NewestFirst<ErrorLog, ErrorLogId>(e => e.OccurredAt, e => e.Id, ErrorLogId.From);

    internal static readonly Expression<Func<ErrorLog, ErrorLogResponse>> Projection = e => new ErrorLogResponse(e.Id, e.OccurredAt, e.Status,
        e.ProblemType, e.Title, e.Detail, e.Method, e.Route, e.Path, e.RequestId, e.TraceId, e.UserId, e.Instance, e.Resolved, e.ResolvedAt);

    internal static readonly Func<ErrorLog, ErrorLogResponse> From = Projection.Compile();
}
