using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using RenderOwl.Api.Http;
using RenderOwl.Application.Common.Errors;

namespace RenderOwl.Api.Controllers;

[ApiExplorerSettings(GroupName = "v1")]
public sealed class ProbesController(HealthCheckService health) : ControllerBase
{
    public sealed record ProbeResponse(string Status);

    /// <summary>One check of <c>GET /health</c>: healthy, degraded or unhealthy, how long it took, what it saw.</summary>
    public sealed record HealthCheckResponse(string Status, double DurationMs, string? Description, IReadOnlyDictionary<string, object>? Data);

    public sealed record HealthResponse(string Status, double DurationMs, IReadOnlyDictionary<string, HealthCheckResponse> Checks);

    public static readonly string[] CheckNames = ["database", "replica", "redis", "queue", "disk", "memory", "queries"];

    /// <summary>The process is up. Touches no dependency.</summary>
    [HttpGet("/live")]
    [AllowAnonymous]
    [ProducesResponseType<ProbeResponse>(StatusCodes.Status200OK)]
    public ProbeResponse Live() => new("live");

    /// <summary>The database answers with every migration applied, and Redis answers; 503 otherwise, and while the instance drains before stopping.</summary>
    [HttpGet("/ready")]
    [AllowAnonymous]
    [ProducesResponseType<ProbeResponse>(StatusCodes.Status200OK)]
    [ProducesResponseType(StatusCodes.Status503ServiceUnavailable)]
    public async Task<IActionResult> Ready(CancellationToken ct)
    {
        if (HttpContext.RequestServices.GetRequiredService<Http.ShutdownDrain>().Draining)
        {
            await Problems.WriteAsync(HttpContext, ErrorCatalog.ServiceUnavailable, "Not ready: the instance is shutting down.");
            return new EmptyResult();
        }
        var report = await health.CheckHealthAsync(c => c.Tags.Contains("ready"), ct);
        if (report.Status == HealthStatus.Healthy)
        {
            return Ok(new ProbeResponse("ready"));
        }
        var failing = report.Entries.Where(e => e.Value.Status != HealthStatus.Healthy).Select(e => $"{e.Key}: {e.Value.Description}");
        await Problems.WriteAsync(HttpContext, ErrorCatalog.ServiceUnavailable, "Not ready: " + string.Join("; ", failing) + ".");
        return new EmptyResult();
    }

    /// <summary>Admin: every check (database, replica, redis, queue, disk, memory) with its status and timing; 503 when one is unhealthy.</summary>
    [HttpGet("/health")]
    [Authorize(Policy = Auth.Policies.Admin)]
    [ProducesResponseType<HealthResponse>(StatusCodes.Status200OK)]
    [ProducesResponseType<HealthResponse>(StatusCodes.Status503ServiceUnavailable)]
    public async Task<IActionResult> Health(CancellationToken ct)
    {
        var report = await health.CheckHealthAsync(c => c.Tags.Contains("detail"), ct);
        var status = Overall(report);
        var body = new HealthResponse(Name(status), Math.Round(report.TotalDuration.TotalMilliseconds, 2),
            report.Entries.ToDictionary(e => e.Key, e => Entry(e.Value)));
        return StatusCode(status == HealthStatus.Unhealthy ? StatusCodes.Status503ServiceUnavailable : StatusCodes.Status200OK, body);
    }

    /// <summary>Admin: one check by name; 503 when it is unhealthy, 404 for an unknown name.</summary>
    [HttpGet("/health/{check}")]
    [Authorize(Policy = Auth.Policies.Admin)]
    [ProducesResponseType<HealthCheckResponse>(StatusCodes.Status200OK)]
    [ProducesResponseType<HealthCheckResponse>(StatusCodes.Status503ServiceUnavailable)]
    public async Task<IActionResult> HealthCheck(string check, CancellationToken ct)
    {
        if (!CheckNames.Contains(check, StringComparer.Ordinal))
        {
            throw new NotFoundException($"health check '{check}' (known: {string.Join(", ", CheckNames)})");
        }
        var report = await health.CheckHealthAsync(c => c.Name == check, ct);
        var entry = report.Entries[check];
        return StatusCode(entry.Status == HealthStatus.Unhealthy ? StatusCodes.Status503ServiceUnavailable : StatusCodes.Status200OK, Entry(entry));
    }

    /// <summary>The worst check, except that a non-critical one (the query profiler's) makes it degraded at worst.</summary>
    private static HealthStatus Overall(HealthReport report)
    {
        var worst = HealthStatus.Healthy;
        foreach (var entry in report.Entries.Values)
        {
            var status = entry.Tags.Contains(Application.Common.Abstractions.HealthTags.NonCritical) && entry.Status == HealthStatus.Unhealthy
                ? HealthStatus.Degraded : entry.Status;
            worst = status < worst ? status : worst;
        }
        return worst;
    }

    private static string Name(HealthStatus status) => status switch
    {
        HealthStatus.Healthy => "healthy",
        HealthStatus.Degraded => "degraded",
        _ => "unhealthy",
    };

    /// <summary>The description and data only; an exception's text never leaves the server.</summary>
    private static HealthCheckResponse Entry(HealthReportEntry entry)
        => new(Name(entry.Status), Math.Round(entry.Duration.TotalMilliseconds, 2), entry.Description, entry.Data.Count > 0 ? entry.Data : null);
}
