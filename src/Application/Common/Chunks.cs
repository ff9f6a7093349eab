using Microsoft.EntityFrameworkCore;

namespace RenderOwl.Application.Common;

/// <summary>Deletes in chunks: one <c>DELETE … WHERE key IN (SELECT … LIMIT n)</c> per round until a round removes nothing.</summary>
public static class Chunks
{
    public static async Task<int> DeleteAsync<T>(Func<IQueryable<T>> chunk, CancellationToken cancellationToken)
    {
        var total = 0;
        int removed;
        do
        {
            removed = await chunk().ExecuteDeleteAsync(cancellationToken);
            total += removed;
        }
        while (removed > 0);
        return total;
    }
}
