using RenderOwl.Application.Common.Abstractions;

namespace RenderOwl.Api.Http;

/// <summary>
/// Read-your-writes routing (docs/adr/0008): a write request by an account marks it in Redis before it runs, so
/// for <c>ReadYourWritesSeconds</c> every instance serves that account's reads from the primary; a GET by an
/// account without a recent write may read from the replica, while the replica is reachable and caught up.
/// Anonymous requests read from the primary. A routed request whose replica read fails at the connection level
/// (before any of the response was sent) takes the replica out of use and runs once more on the primary.
/// </summary>
public sealed class ReadRoutingMiddleware(RequestDelegate next)
{
    public async Task InvokeAsync(HttpContext http, IReplicaRouting replica, IReadTarget routing, IStorageFailures storage)
    {
        if (replica.Configured && http.User.FindFirst("sub")?.Value is { } account)
        {
            // A live event stream reads the primary: it wants the freshest progress, and it could not be re-run
            // on the primary if the replica failed half-way through it.
            var stream = http.Request.Headers.Accept.ToString().Contains("text/event-stream", StringComparison.OrdinalIgnoreCase);
            if ((HttpMethods.IsGet(http.Request.Method) || HttpMethods.IsHead(http.Request.Method)) && !stream)
            {
                routing.UseReplica = replica.ReplicaUsable && !await replica.WroteRecentlyAsync(account);
                if (routing.UseReplica)
                {
                    try
                    {
                        await next(http);
                    }
                    catch (Exception ex) when (storage.IsUnreachable(ex) && !http.Response.HasStarted && !http.RequestAborted.IsCancellationRequested)
                    {
                        replica.ReportFailure(ex);
                        routing.UseReplica = false;
                        await next(http); // a GET: safe to run again, now on the primary
                    }
                    return;
                }
            }
            else if (!stream)
            {
                await replica.NoteWriteAsync(account);
            }
        }
        await next(http);
    }
}
