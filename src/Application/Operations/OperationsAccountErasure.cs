using Microsoft.EntityFrameworkCore;
using RenderOwl.Application.Common.Abstractions;

namespace RenderOwl.Application.Operations;

/// <summary>
/// The Operations module's part of deleting an account: the rate-limit violations recorded under its user id or any of
/// its keys; server errors it met are kept for the operator, without its user id.
/// </summary>
public sealed class OperationsAccountErasure(IAppDbContext db) : IAccountErasure
{
    public IEnumerable<ErasureStep> Steps(AccountScope account)
    {
        var principals = account.Principals.ToList();
        yield return new(10, "rate_limit_violations", ct => db.RateLimitViolations.Where(v => principals.Contains(v.Principal))
            .OrderBy(v => v.Id).Take(IRetentionPolicy.ChunkSize).ExecuteDeleteAsync(ct));
        var user = account.User;
        yield return new(11, "error_logs", ct => db.ErrorLogs.Where(e => e.UserId == user)
            .OrderBy(e => e.OccurredAt).Take(IRetentionPolicy.ChunkSize).ExecuteUpdateAsync(s => s.SetProperty(e => e.UserId, (Domain.Common.UserId?)null), ct));
    }
}
