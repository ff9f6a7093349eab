using FluentValidation;
using Mediator;
using RenderOwl.Application.Common;
using RenderOwl.Application.Common.Abstractions;
using RenderOwl.Domain.Common;

namespace RenderOwl.Application.Analytics;

/// <summary>
/// <c>GET /v1/analytics/usage</c>: the caller's renders and events per UTC hour (or day), every bucket of the range
/// included, from the hourly roll-up (at most a minute behind). <c>from</c>/<c>to</c> default to the last 24 hours.
/// </summary>
public sealed record GetUsageQuery(DateTimeOffset? From, DateTimeOffset? To, string? Granularity, ProjectId? ProjectId) : IQuery<ItemList<UsageBucket>>;

public sealed class GetUsageValidator : AbstractValidator<GetUsageQuery>
{
    public GetUsageValidator()
    {
        RuleFor(x => x.Granularity).Must(g => g is null or "hour" or "day").WithErrorCode("invalid_value").WithMessage("'granularity' is 'hour' or 'day'.");
        RuleFor(x => x).Must(q => q.From is null || q.To is null || q.From < q.To).WithErrorCode("invalid_range").WithMessage("'from' is before 'to'.")
            .OverridePropertyName("from");
        RuleFor(x => x).Must(q => q.From is null || q.To is null || q.To - q.From <= TimeSpan.FromDays(366)).WithErrorCode("out_of_range")
            .WithMessage("The range is at most 366 days.").OverridePropertyName("to");
    }
}

public sealed class GetUsageHandler(ICurrentUser current, IProjectAccess projects, IAnalyticsStore store, TimeProvider clock)
    : IQueryHandler<GetUsageQuery, ItemList<UsageBucket>>
{
    public async ValueTask<ItemList<UsageBucket>> Handle(GetUsageQuery query, CancellationToken cancellationToken)
    {
        var daily = query.Granularity == "day";
        var to = query.To ?? clock.GetUtcNow();
        var from = query.From ?? to.AddHours(-24);
        if (to - from > TimeSpan.FromDays(366))
        {
            from = to.AddDays(-366); // only one end given: the range is capped rather than refused
        }
        if (query.ProjectId is { } project)
        {
            await projects.EnsureOwnedAsync(project, current.Id, cancellationToken);
        }
        return new ItemList<UsageBucket>(await store.UsageAsync(current.Id, query.ProjectId, from, to, daily, cancellationToken));
    }
}
