using Microsoft.Extensions.DependencyInjection;
using RenderOwl.Application.Common.Abstractions;

namespace RenderOwl.Application.Common.Caching;

/// <summary>
/// A cache loader's query: on the primary, in a scope of its own. The primary, because a value cached from a
/// lagging replica would outlive the lag by a whole TTL; a scope of its own, because the load is shared by every
/// request waiting on the key and must not depend on one of them.
/// </summary>
public static class PrimaryLoad
{
    public static async ValueTask<T?> RunAsync<T>(IServiceScopeFactory scopes, Func<IAppDbContext, CancellationToken, Task<T?>> query, CancellationToken cancellationToken)
    {
        await using var scope = scopes.CreateAsyncScope();
        return await query(scope.ServiceProvider.GetRequiredService<IAppDbContext>(), cancellationToken);
    }
}
