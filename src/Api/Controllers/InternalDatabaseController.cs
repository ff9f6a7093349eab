using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using RenderOwl.Api.Auth;
using RenderOwl.Application.Common;
using RenderOwl.Application.Common.Abstractions;
using RenderOwl.Application.Operations.Database;

namespace RenderOwl.Api.Controllers;

/// <summary>Operator endpoints: the query profiler of this instance, its pools and PostgreSQL's own figures (admin only).</summary>
[Route("internal/db")]
[Authorize(Policy = Policies.Admin)]
public sealed class InternalDatabaseController : ApiControllerBase
{
    /// <summary>Every normalised statement (literals and parameters as <c>?</c>) with calls, times, percentiles, slow and critical calls.</summary>
    [HttpGet("queries")]
    [ProducesResponseType<ItemList<StatementStats>>(StatusCodes.Status200OK)]
    public async Task<ItemList<StatementStats>> Queries(CancellationToken ct) => await Sender.Send(new ListQueryStatisticsQuery(), ct);

    /// <summary>Forget the statement figures, slow executions and N+1 suspects.</summary>
    [HttpPost("queries/reset")]
    [ProducesResponseType(StatusCodes.Status204NoContent)]
    public async Task<IActionResult> ResetQueries(CancellationToken ct)
    {
        await Sender.Send(new ResetQueryStatisticsCommand(), ct);
        return NoContent();
    }

    /// <summary>The latest 100 executions over 100 ms (<c>critical</c> over 500 ms) with route and request id, newest first.</summary>
    [HttpGet("slow-queries")]
    [ProducesResponseType<ItemList<SlowQuery>>(StatusCodes.Status200OK)]
    public async Task<ItemList<SlowQuery>> SlowQueries(CancellationToken ct) => await Sender.Send(new ListSlowQueriesQuery(), ct);

    /// <summary>Per data source (<c>primary</c>, <c>replica</c>): maximum size, busy, idle and waiting, from Npgsql's pool metrics.</summary>
    [HttpGet("pool")]
    [ProducesResponseType<IReadOnlyDictionary<string, PoolStats>>(StatusCodes.Status200OK)]
    public async Task<IReadOnlyDictionary<string, PoolStats>> Pool(CancellationToken ct) => await Sender.Send(new GetPoolStatsQuery(), ct);

    /// <summary>The profiler's health (slow share) and N+1 suspects; table sizes, cache hit ratio and pg_stat_statements from PostgreSQL.</summary>
    [HttpGet("stats")]
    [ProducesResponseType<DatabaseStats>(StatusCodes.Status200OK)]
    public async Task<DatabaseStats> Stats(CancellationToken ct) => await Sender.Send(new GetDatabaseStatsQuery(), ct);
}
