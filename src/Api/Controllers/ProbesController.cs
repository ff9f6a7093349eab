using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using RenderOwl.Api.Http;
using RenderOwl.Application.Common.Errors;

namespace RenderOwl.Api.Controllers;

[AllowAnonymous]
[ApiExplorerSettings(GroupName = "v1")]
public sealed class ProbesController(HealthCheckService health) : ControllerBase
{
    public sealed record ProbeResponse(string Status);

    /// <summary>The process is up. Touches no dependency.</summary>
    [HttpGet("/live")]
    [ProducesResponseType<ProbeResponse>(StatusCodes.Status200OK)]
    public ProbeResponse Live() => new("live");

    /// <summary>The database answers with every migration applied, and Redis answers; 503 otherwise.</summary>
    [HttpGet("/ready")]
    [ProducesResponseType<ProbeResponse>(StatusCodes.Status200OK)]
    [ProducesResponseType(StatusCodes.Status503ServiceUnavailable)]
    public async Task<IActionResult> Ready(CancellationToken ct)
    {
        var report = await health.CheckHealthAsync(c => c.Tags.Contains("ready"), ct);
        if (report.Status == HealthStatus.Healthy)
        {
            return Ok(new ProbeResponse("ready"));
        }
        var failing = report.Entries.Where(e => e.Value.Status != HealthStatus.Healthy).Select(e => $"{e.Key}: {e.Value.Description}");
        await Problems.WriteAsync(HttpContext, ErrorCatalog.ServiceUnavailable, "Not ready: " + string.Join("; ", failing) + ".");
        return new EmptyResult();
    }
}
