using Mediator;
using Microsoft.Extensions.Logging;
using RenderOwl.Application.Common;
using RenderOwl.Application.Common.Abstractions;

namespace RenderOwl.Application.Operations;

/// <summary>Runs every retention policy now (the daily <c>retention</c> job); returns what each removed.</summary>
public sealed record ApplyRetentionCommand : ICommand<IReadOnlyDictionary<string, int>>;

public sealed class ApplyRetentionHandler(IEnumerable<IRetentionPolicy> policies, TimeProvider clock, ILogger<ApplyRetentionHandler> logger)
    : ICommandHandler<ApplyRetentionCommand, IReadOnlyDictionary<string, int>>
{
    public async ValueTask<IReadOnlyDictionary<string, int>> Handle(ApplyRetentionCommand command, CancellationToken cancellationToken)
    {
        var now = clock.GetUtcNow();
        var removed = new SortedDictionary<string, int>(StringComparer.Ordinal);
        foreach (var policy in policies)
        {
            removed[policy.Name] = await policy.ApplyAsync(now, cancellationToken);
            logger.LogInformation("Retention {Policy}: removed {Rows} row(s)", policy.Name, removed[policy.Name]);
        }
        return removed;
    }
}

/// <summary>Rate-limit violations older than <see cref="RetentionOptions.RateLimitViolationsDays"/>.</summary>
public sealed class RateLimitViolationRetention(IAppDbContext db, Microsoft.Extensions.Options.IOptions<RetentionOptions> options) : IRetentionPolicy
{
    public string Name => "rate_limit_violations";

    public async Task<int> ApplyAsync(DateTimeOffset now, CancellationToken cancellationToken)
    {
        var cutoff = now.AddDays(-options.Value.RateLimitViolationsDays);
        return await Chunks.DeleteOldestAsync(db.RateLimitViolations.Where(v => v.OccurredAt < cutoff), v => v.OccurredAt, cancellationToken);
    }
}
