using System.Linq.Expressions;
using Microsoft.EntityFrameworkCore;
using RenderOwl.Application.Common.Abstractions;
using RenderOwl.Application.Common.Errors;

namespace RenderOwl.Application.Common.Pagination;

/// <summary>How a list is ordered newest first on <c>(created_at, id)</c>, and the row-value predicate that seeks past a key.</summary>
public sealed record Keyset<TEntity>(
    Func<IQueryable<TEntity>, IOrderedQueryable<TEntity>> OrderNewestFirst,
    Func<DateTimeOffset, Guid, Expression<Func<TEntity, bool>>> OlderThan);

public static class Keysets
{
    /// <summary>
    /// The keyset of a list ordered by <paramref name="createdAt"/> then <paramref name="id"/>, newest first: seeks with
    /// the row-value comparison <c>(created_at, id) &lt; (@at, @id)</c>, which the <c>(…, created_at, id)</c> indexes serve.
    /// </summary>
    public static Keyset<TEntity> NewestFirst<TEntity, TId>(
        Expression<Func<TEntity, DateTimeOffset>> createdAt, Expression<Func<TEntity, TId>> id, Func<Guid, TId> wrap)
    {
        var row = createdAt.Parameters[0];
        var idBody = new Replace(new Dictionary<Expression, Expression> { [id.Parameters[0]] = row }).Visit(id.Body)!;
        return new Keyset<TEntity>(
            q => q.OrderByDescending(createdAt).ThenByDescending(id),
            (at, key) =>
            {
                var after = new SeekKey<TId>(at, wrap(key)); // a closure: EF sends its members as parameters
                Expression<Func<DateTimeOffset, TId, bool>> seek = (rowAt, rowId) => EF.Functions.LessThan(
                    ValueTuple.Create(rowAt, rowId), ValueTuple.Create(after.At, after.Id));
                var body = new Replace(new Dictionary<Expression, Expression>
                {
                    [seek.Parameters[0]] = createdAt.Body,
                    [seek.Parameters[1]] = idBody,
                }).Visit(seek.Body)!;
                return Expression.Lambda<Func<TEntity, bool>>(body, row);
            });
    }

    private sealed record SeekKey<TId>(DateTimeOffset At, TId Id);

    private sealed class Replace(IReadOnlyDictionary<Expression, Expression> map) : ExpressionVisitor
    {
        public override Expression? Visit(Expression? node) => node is not null && map.TryGetValue(node, out var to) ? to : base.Visit(node);
    }
}

/// <summary>
/// Hybrid pagination: offset pages (with totals) while shallow, keyset cursors at any depth. Every page that
/// has a next one also carries <c>next_cursor</c>, so a client can switch to keyset at any time.
/// </summary>
public sealed class Paginator(ICursorCodec cursors, Caching.AppCache cache)
{
    /// <summary>
    /// Offset pages count their list exactly up to this many rows (one bounded index scan); a longer list's total is
    /// counted once and kept a few minutes (short cache policy), flagged <c>total_exact: false</c>. Offset pages stop
    /// at <see cref="PageRequest.MaxOffset"/> items anyway, so the count never decides what a client can reach.
    /// </summary>
    public const int ExactCountCap = 1000;

    public Task<Page<TDto>> PageAsync<TEntity, TDto>(
        IQueryable<TEntity> source,
        PageRequest request,
        Keyset<TEntity> keyset,
        Expression<Func<TEntity, TDto>> projection,
        Func<TDto, (DateTimeOffset CreatedAt, Guid Id)> keyOf,
        CancellationToken cancellationToken)
        => PageAsync(source, request, keyset, projection, keyOf, countKey: null, cancellationToken);

    /// <param name="source">The list's rows.</param>
    /// <param name="request">Page size and page or cursor, validated.</param>
    /// <param name="keyset">Its newest-first order and seek.</param>
    /// <param name="projection">Row to response item.</param>
    /// <param name="keyOf">An item's keyset position.</param>
    /// <param name="countKey">
    /// Names the list (whose rows, which filter) for its kept total: with it, a list whose total is kept is not counted
    /// again, and no SQL text is made to name it. Without it, the list is named by its SQL (<c>ToQueryString</c>).
    /// </param>
    /// <param name="cancellationToken">The request's.</param>
    public async Task<Page<TDto>> PageAsync<TEntity, TDto>(
        IQueryable<TEntity> source,
        PageRequest request,
        Keyset<TEntity> keyset,
        Expression<Func<TEntity, TDto>> projection,
        Func<TDto, (DateTimeOffset CreatedAt, Guid Id)> keyOf,
        string? countKey,
        CancellationToken cancellationToken)
    {
        EnsureShallow(request); // page_size, page and cursor were checked by the query's PagedQueryValidator
        var size = request.PageSize;
        if (request.Cursor is not null)
        {
            if (!cursors.TryDecode(request.Cursor, out var createdAt, out var id))
            {
                throw new BadRequestException(ErrorCatalog.InvalidCursor, "The cursor is malformed or was altered.");
            }
            var rows = await keyset.OrderNewestFirst(source.Where(keyset.OlderThan(createdAt, id)))
                .Take(size + 1).Select(projection).ToListAsync(cancellationToken);
            var hasNext = rows.Count > size;
            var items = hasNext ? rows.GetRange(0, size) : rows;
            return new Page<TDto>(items, new PageMetadata("cursor", size, hasNext, HasPrev: true,
                hasNext ? CursorAfter(items[^1], keyOf) : null, null, null, null));
        }

        var page = request.Page ?? 1;
        var pageItems = await keyset.OrderNewestFirst(source).Skip((page - 1) * size).Take(size + 1)
            .Select(projection).ToListAsync(cancellationToken);
        var more = pageItems.Count > size; // from the rows themselves: a kept total may be a little behind
        if (more)
        {
            pageItems.RemoveAt(size);
        }
        // The whole list on its first page: its rows are its total, no count to run.
        var (total, exact) = page == 1 && !more ? (pageItems.Count, true) : await CountAsync(source, countKey, cancellationToken);
        total = Math.Max(total, (long)(page - 1) * size + pageItems.Count);
        var totalPages = (int)((total + size - 1) / size);
        return new Page<TDto>(pageItems, new PageMetadata("offset", size, more, page > 1,
            more && pageItems.Count > 0 ? CursorAfter(pageItems[^1], keyOf) : null, page, total, totalPages) { TotalExact = exact });
    }

    private async Task<(long Total, bool Exact)> CountAsync<TEntity>(IQueryable<TEntity> source, string? countKey, CancellationToken cancellationToken)
    {
        var key = countKey is null ? null : "count:" + countKey;
        if (key is not null && await cache.PeekAsync<KeptCount>(Caching.CachePolicy.Short, key, cancellationToken) is { } kept)
        {
            return (kept.Value, false); // past the cap when it was counted: kept a few minutes, as flagged
        }
        var bounded = await source.Take(ExactCountCap + 1).LongCountAsync(cancellationToken);
        if (bounded <= ExactCountCap)
        {
            return (bounded, true);
        }
        // Without a name from the caller, the query's SQL with its parameter values names the list: the key of its kept count.
        key ??= "count:" + Convert.ToHexString(System.Security.Cryptography.SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(source.ToQueryString())));
        var counted = await cache.GetOrLoadAsync<KeptCount>(Caching.CachePolicy.Short, key, [],
            async ct => new KeptCount(await source.LongCountAsync(ct)), cancellationToken);
        return (counted!.Value, false);
    }

    private string CursorAfter<TDto>(TDto last, Func<TDto, (DateTimeOffset CreatedAt, Guid Id)> keyOf)
    {
        var (createdAt, id) = keyOf(last);
        return cursors.Encode(createdAt, id);
    }

    private static void EnsureShallow(PageRequest request)
    {
        if (request.Page is { } page && (long)(page - 1) * request.PageSize >= PageRequest.MaxOffset)
        {
            throw new BadRequestException(ErrorCatalog.PaginationTooDeep,
                $"Offset pagination stops at {PageRequest.MaxOffset} items. Use 'cursor' with the 'next_cursor' of the previous page to go deeper.");
        }
    }
}

/// <summary>A list's total past <see cref="Paginator.ExactCountCap"/>, as the cache keeps it.</summary>
public sealed record KeptCount(long Value);
