using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.TestHost;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using RenderOwl.Infrastructure.Persistence;

namespace RenderOwl.Api.IntegrationTests.Infrastructure;

/// <summary>
/// Routes that behave in a known way, for the monitor and profiler tests: a fixed sleep, a thrown exception, a slow
/// statement, a list loaded item by item. Only hosts made by <see cref="With"/> have them (MVC finds controllers in the
/// API's assembly; this adds the test assembly as a part).
/// </summary>
[ApiController]
[Route("v1/test-only")]
[AllowAnonymous]
public sealed class TestOnlyController(AppDbContext db) : ControllerBase
{
    public static Microsoft.AspNetCore.Mvc.Testing.WebApplicationFactory<Program> With(Microsoft.AspNetCore.Mvc.Testing.WebApplicationFactory<Program> factory)
        => factory.WithWebHostBuilder(b => b.ConfigureTestServices(s => s.AddControllers().AddApplicationPart(typeof(TestOnlyController).Assembly)));

    [HttpGet("sleep/{ms:int}")]
    public async Task<IActionResult> Sleep(int ms, CancellationToken ct)
    {
        await Task.Delay(ms, ct);
        return Ok(new { slept_ms = ms });
    }

    [HttpGet("fail")]
    public IActionResult Fail() => throw new InvalidOperationException("forced failure for a test");

    /// <summary>A fault whose message and preceding log line carry the caller's credentials and an e-mail address: what a careless error looks like.</summary>
    [HttpGet("fail-with-secrets")]
    public IActionResult FailWithSecrets([FromServices] Microsoft.Extensions.Logging.ILogger<TestOnlyController> logger)
    {
        var credentials = Request.Headers.Authorization.ToString();
        Microsoft.Extensions.Logging.LoggerExtensions.LogInformation(logger, "About to fail for ada.lovelace@example.com using {Credentials}", credentials);
        throw new InvalidOperationException($"forced failure for ada.lovelace@example.com with {credentials}");
    }

    [HttpGet("pg-sleep")]
    public async Task<IActionResult> PgSleep(CancellationToken ct)
    {
        var slept = await db.Database.SqlQueryRaw<int>("SELECT 1 AS \"Value\" FROM pg_sleep(0.15)").ToListAsync(ct);
        return Ok(new { rows = slept.Count });
    }

    /// <summary>The classic N+1: the list's ids, then one query per item (with its id as a literal or a parameter).</summary>
    [HttpGet("n-plus-one")]
    public async Task<IActionResult> NPlusOne(CancellationToken ct)
    {
        var ids = await db.Projects.AsNoTracking().OrderBy(p => p.Id).Select(p => p.Id).Take(50).ToListAsync(ct);
        var names = new List<string>();
        foreach (var id in ids)
        {
            names.Add(await db.Projects.AsNoTracking().Where(p => p.Id == id).Select(p => p.Name).SingleAsync(ct));
        }
        return Ok(new { names });
    }

    /// <summary>One statement run with two different literals: the profiler folds them into one row.</summary>
    [HttpGet("literals/{n:int}")]
    public async Task<IActionResult> Literals(int n, CancellationToken ct)
    {
#pragma warning disable EF1002 // an int, inlined on purpose: the statement must differ only by its literal
        var value = await db.Database.SqlQueryRaw<int>($"SELECT {n} + 1 AS \"Value\"").SingleAsync(ct);
#pragma warning restore EF1002
        return Ok(new { value });
    }
}
