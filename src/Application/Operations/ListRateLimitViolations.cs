using System.Linq.Expressions;
using Mediator;
using Microsoft.EntityFrameworkCore;
using RenderOwl.Application.Common.Abstractions;
using RenderOwl.Application.Common.Pagination;
using RenderOwl.Domain.Operations;

namespace RenderOwl.Application.Operations;

public sealed record RateLimitViolationResponse(Guid Id, string Principal, string Policy, string Method, string Path, string? IpAddress, DateTimeOffset OccurredAt);

public sealed record ListRateLimitViolationsQuery(PageRequest Page, string? Principal) : IQuery<Page<RateLimitViolationResponse>>, IPagedQuery;

public sealed class ListRateLimitViolationsValidator : PagedQueryValidator<ListRateLimitViolationsQuery>;

public sealed class ListRateLimitViolationsHandler(IAppDbContext db, Paginator paginator)
    : IQueryHandler<ListRateLimitViolationsQuery, Page<RateLimitViolationResponse>>
{
    private static readonly Expression<Func<RateLimitViolation, RateLimitViolationResponse>> Projection =
        v => new RateLimitViolationResponse(v.Id, v.Principal, v.Policy, v.Method, v.Path, v.IpAddress, v.OccurredAt);

    private static readonly Keyset<RateLimitViolation> Keyset = Keysets.NewestFirst<RateLimitViolation, Guid>(v => v.OccurredAt, v => v.Id, g => g);

    public async ValueTask<Page<RateLimitViolationResponse>> Handle(ListRateLimitViolationsQuery query, CancellationToken cancellationToken)
    {
        var source = db.RateLimitViolations.AsNoTracking();
        if (query.Principal is { Length: > 0 } principal)
        {
            source = source.Where(v => v.Principal == principal);
        }
        return await paginator.PageAsync(source, query.Page, Keyset, Projection, v => (v.OccurredAt, v.Id), cancellationToken);
    }
}
