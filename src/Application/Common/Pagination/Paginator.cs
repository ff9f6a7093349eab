using System.Linq.Expressions;
using Microsoft.EntityFrameworkCore;
using RenderOwl.Application.Common.Abstractions;
using RenderOwl.Application.Common.Errors;

namespace RenderOwl.Application.Common.Pagination;

/// <summary>How a list is ordered newest first on <c>(created_at, id)</c>, and the row-value predicate that seeks past a key.</summary>
public sealed record Keyset<TEntity>(
    Func<IQueryable<TEntity>, IOrderedQueryable<TEntity>> OrderNewestFirst,
    Func<DateTimeOffset, Guid, Expression<Func<TEntity, bool>>> OlderThan);

/// <summary>
/// Hybrid pagination: offset pages (with totals) while shallow, keyset cursors at any depth. Every page that
/// has a next one also carries <c>next_cursor</c>, so a client can switch to keyset at any time.
/// </summary>
public sealed class Paginator(ICursorCodec cursors)
{
    public async Task<Page<TDto>> PageAsync<TEntity, TDto>(
        IQueryable<TEntity> source,
        PageRequest request,
        Keyset<TEntity> keyset,
        Expression<Func<TEntity, TDto>> projection,
        Func<TDto, (DateTimeOffset CreatedAt, Guid Id)> keyOf,
        CancellationToken cancellationToken)
    {
        Validate(request);
        var size = request.PageSize;
        if (request.Cursor is not null)
        {
            if (!cursors.TryDecode(request.Cursor, out var createdAt, out var id))
            {
                throw new AppException(ErrorCatalog.InvalidCursor, "The cursor is malformed or was altered.");
            }
            var rows = await keyset.OrderNewestFirst(source.Where(keyset.OlderThan(createdAt, id)))
                .Take(size + 1).Select(projection).ToListAsync(cancellationToken);
            var hasNext = rows.Count > size;
            var items = hasNext ? rows.GetRange(0, size) : rows;
            return new Page<TDto>(items, new PageMetadata("cursor", size, hasNext, HasPrev: true,
                hasNext ? CursorAfter(items[^1], keyOf) : null, null, null, null));
        }

        var page = request.Page ?? 1;
        var total = await source.LongCountAsync(cancellationToken);
        var pageItems = await keyset.OrderNewestFirst(source).Skip((page - 1) * size).Take(size)
            .Select(projection).ToListAsync(cancellationToken);
        var totalPages = (int)((total + size - 1) / size);
        var more = (long)page * size < total;
        return new Page<TDto>(pageItems, new PageMetadata("offset", size, more, page > 1,
            more && pageItems.Count > 0 ? CursorAfter(pageItems[^1], keyOf) : null, page, total, totalPages));
    }

    private string CursorAfter<TDto>(TDto last, Func<TDto, (DateTimeOffset CreatedAt, Guid Id)> keyOf)
    {
        var (createdAt, id) = keyOf(last);
        return cursors.Encode(createdAt, id);
    }

    private static void Validate(PageRequest request)
    {
        var errors = new List<FieldError>();
        if (request.PageSize is < 1 or > PageRequest.MaxPageSize)
        {
            errors.Add(new FieldError("page_size", "out_of_range", $"'page_size' must be between 1 and {PageRequest.MaxPageSize}."));
        }
        if (request.Page is < 1)
        {
            errors.Add(new FieldError("page", "out_of_range", "'page' must be 1 or more."));
        }
        if (request.Page is not null && request.Cursor is not null)
        {
            errors.Add(new FieldError("cursor", "exclusive", "Give either 'page' or 'cursor', not both."));
        }
        if (errors.Count > 0)
        {
            throw new ValidationFailedException(errors);
        }
        if (request.Page is { } page && (long)(page - 1) * request.PageSize >= PageRequest.MaxOffset)
        {
            throw new AppException(ErrorCatalog.PaginationTooDeep,
                $"Offset pagination stops at {PageRequest.MaxOffset} items. Use 'cursor' with the 'next_cursor' of the previous page to go deeper.");
        }
    }
}
