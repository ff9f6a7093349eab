using FluentValidation;
using Mediator;
using Microsoft.EntityFrameworkCore;
using RenderOwl.Application.Common.Abstractions;
using RenderOwl.Application.Common.Pagination;

namespace RenderOwl.Application.Operations.Monitoring;

/// <summary>Admin: the server errors (5xx problems) kept in <c>operations.error_logs</c>, newest first; filtered by resolved, status.</summary>
public sealed record ListErrorLogsQuery(PageRequest Page, bool? Resolved, int? Status) : IQuery<Page<ErrorLogResponse>>, IPagedQuery;

public sealed class ListErrorLogsValidator : PagedQueryValidator<ListErrorLogsQuery>
{
    public ListErrorLogsValidator()
    {
        RuleFor(x => x.Status).InclusiveBetween(500, 599).OverridePropertyName("status")
            .WithErrorCode("out_of_range").WithMessage("'status' must be a server error status, 500 to 599.");
    }
}

public sealed class ListErrorLogsHandler(IAppDbContext db, Paginator paginator) : IQueryHandler<ListErrorLogsQuery, Page<ErrorLogResponse>>
{
    public async ValueTask<Page<ErrorLogResponse>> Handle(ListErrorLogsQuery query, CancellationToken cancellationToken)
    {
        var source = db.ErrorLogs.AsNoTracking();
        if (query.Resolved is { } resolved)
        {
            source = source.Where(e => e.Resolved == resolved);
        }
        if (query.Status is { } status)
        {
            source = source.Where(e => e.Status == status);
        }
        return await paginator.PageAsync(source, query.Page, ErrorLogResponse.Keyset, ErrorLogResponse.Projection, e => (e.OccurredAt, e.Id.Value), cancellationToken);
    }
}
