using System.Linq.Expressions;
using Microsoft.EntityFrameworkCore;

namespace RenderOwl.Application.Common;

/// <summary>
/// Deletes what is due, oldest first, in chunks of about 1,000: per round, the age of the 1,000th oldest due row (read
/// from the age column's index), then <c>DELETE … WHERE &lt;due&gt; AND previous &lt; age &lt;= that</c>, a range of the
/// same index.
/// Not one <c>DELETE … WHERE id IN (SELECT … LIMIT n)</c> nor <c>id = ANY(@ids)</c>: PostgreSQL plans those, at a
/// hundred thousand rows, as a scan of the whole table per chunk (QueryPlanTests). Rows sharing the boundary age go in
/// the same round, so a round may take a few more than 1,000.
/// </summary>
public static class Chunks
{
    public const int Size = Abstractions.IRetentionPolicy.ChunkSize;

    public static async Task<int> DeleteOldestAsync<T>(IQueryable<T> due, Expression<Func<T, DateTimeOffset?>> age, CancellationToken cancellationToken)
    {
        var total = 0;
        DateTimeOffset? after = null;
        while (true)
        {
            // Each round a slice between two boundaries: its estimate stays about 1,000 rows even while the table's
            // statistics still count the rows the rounds before deleted.
            var slice = after is { } previous ? due.Where(Compare(age, previous, Expression.GreaterThan)) : due;
            var boundary = await slice.OrderBy(age).Skip(Size - 1).Select(age).FirstOrDefaultAsync(cancellationToken);
            total += await (boundary is { } last ? slice.Where(Compare(age, last, Expression.LessThanOrEqual)) : slice).ExecuteDeleteAsync(cancellationToken);
            if (boundary is null)
            {
                return total;
            }
            after = boundary;
        }
    }

    /// <summary>
    /// One chunk of a set of rows (an account's): up to 1,000 of their keys, in the order of <paramref name="order"/> —
    /// the column after the owner in the filter's index, so the chunk is a range of that index — then
    /// <c>DELETE … WHERE &lt;filter&gt; AND key = ANY(@keys)</c>. Returns how many went; 0 when none is left. (Ordered by
    /// the key instead, PostgreSQL walks the primary key past every other account's rows, further each chunk.)
    /// </summary>
    public static async Task<int> DeleteChunkAsync<T, TKey, TOrder>(IQueryable<T> rows, Expression<Func<T, TKey>> key, Expression<Func<T, TOrder>> order,
        CancellationToken cancellationToken)
    {
        var keys = await rows.OrderBy(order).Select(key).Take(Size).ToListAsync(cancellationToken);
        return keys.Count == 0 ? 0 : await rows.Where(KeyIn(keys, key)).ExecuteDeleteAsync(cancellationToken);
    }

    /// <summary><c>keys.Contains(key(row))</c>, the list sent as one array parameter (<c>= ANY(@keys)</c>).</summary>
    public static Expression<Func<T, bool>> KeyIn<T, TKey>(List<TKey> keys, Expression<Func<T, TKey>> key)
    {
        var list = Expression.Property(Expression.Constant(new KeyList<TKey>(keys)), nameof(KeyList<TKey>.Keys));
        var contains = Expression.Call(typeof(Enumerable), nameof(Enumerable.Contains), [typeof(TKey)], list, key.Body);
        return Expression.Lambda<Func<T, bool>>(contains, key.Parameters);
    }

    /// <summary><c>age(row) OP value</c>, with <paramref name="value"/> sent as a parameter.</summary>
    private static Expression<Func<T, bool>> Compare<T>(Expression<Func<T, DateTimeOffset?>> age, DateTimeOffset value,
        Func<Expression, Expression, BinaryExpression> op)
    {
        var parameter = Expression.Property(Expression.Constant(new Boundary(value)), nameof(Boundary.Value));
        return Expression.Lambda<Func<T, bool>>(op(age.Body, parameter), age.Parameters);
    }

    private sealed record Boundary(DateTimeOffset? Value);

    private sealed record KeyList<TKey>(List<TKey> Keys);
}
