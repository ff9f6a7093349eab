using System.Runtime.CompilerServices;
using Microsoft.EntityFrameworkCore;

namespace RenderOwl.Application.Common.Accounts;

/// <summary>Helpers of the modules' export sources and erasure steps.</summary>
public static class AccountRows
{
    /// <summary>Streams a query's rows into an export section, mapped one by one (nothing held as a list).</summary>
    public static async IAsyncEnumerable<object> Stream<TRow, TOut>(IQueryable<TRow> query, Func<TRow, TOut> map, [EnumeratorCancellation] CancellationToken cancellationToken)
        where TOut : notnull
    {
        await foreach (var row in query.AsAsyncEnumerable().WithCancellation(cancellationToken))
        {
            yield return map(row);
        }
    }
}
