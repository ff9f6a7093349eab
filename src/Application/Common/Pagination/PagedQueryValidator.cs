using FluentValidation;

namespace RenderOwl.Application.Common.Pagination;

/// <summary>A list query: one page of a list.</summary>
public interface IPagedQuery
{
    PageRequest Page { get; }
}

/// <summary>
/// The paging rules every list shares (<c>page_size</c>, <c>page</c>, <c>cursor</c>). A list query's validator
/// derives from this and adds its own rules. Whether a cursor decodes, and how deep an offset may go, are
/// their own problem types (<c>invalid-cursor</c>, <c>pagination-too-deep</c>), raised by <see cref="Paginator"/>.
/// </summary>
public abstract class PagedQueryValidator<TQuery> : AbstractValidator<TQuery> where TQuery : IPagedQuery
{
    protected PagedQueryValidator()
    {
        RuleFor(x => x.Page.PageSize).InclusiveBetween(1, PageRequest.MaxPageSize).OverridePropertyName("page_size")
            .WithErrorCode("out_of_range").WithMessage($"'page_size' must be between 1 and {PageRequest.MaxPageSize}.");
        RuleFor(x => x.Page.Page).GreaterThanOrEqualTo(1).OverridePropertyName("page")
            .WithErrorCode("out_of_range").WithMessage("'page' must be 1 or more.");
        RuleFor(x => x.Page.Cursor).Null().When(x => x.Page.Page is not null).OverridePropertyName("cursor")
            .WithErrorCode("exclusive").WithMessage("Give either 'page' or 'cursor', not both.");
    }
}
