using RenderOwl.Infrastructure.Persistence;

namespace RenderOwl.Api.Http;

/// <summary>
/// Read-your-writes routing (docs/adr/0008): a write request by an account marks it in Redis before it runs, so
/// for <c>ReadYourWritesSeconds</c> every instance serves that account's reads from the primary; a GET by an
/// account without a recent write may read from the replica, while the replica is reachable and caught up.
/// Anonymous requests read from the primary.
/// </summary>
public sealed class ReadRoutingMiddleware(RequestDelegate next)
{
    public async Task InvokeAsync(HttpContext http, ReplicaMonitor replica, ReadRouting routing)
    {
        if (replica.Configured && http.User.FindFirst("sub")?.Value is { } account)
        {
            if (HttpMethods.IsGet(http.Request.Method) || HttpMethods.IsHead(http.Request.Method))
            {
                routing.UseReplica = replica.ReplicaUsable && !await replica.WroteRecentlyAsync(account);
            }
            else
            {
                await replica.NoteWriteAsync(account);
            }
        }
        await next(http);
    }
}
