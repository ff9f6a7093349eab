using Microsoft.EntityFrameworkCore;
using RenderOwl.Application.Common;
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
        yield return new(10, "rate_limit_violations", ct => Chunks.DeleteChunkAsync(db.RateLimitViolations.Where(v => principals.Contains(v.Principal)), v => v.Id, v => v.OccurredAt, ct));
        var user = account.User;
        yield return new(11, "error_logs", async ct =>
        {
            var ids = await db.ErrorLogs.Where(e => e.UserId == user).Select(e => e.Id).Order().Take(IRetentionPolicy.ChunkSize).ToListAsync(ct);
            return ids.Count == 0 ? 0 : await db.ErrorLogs.Where(e => e.UserId == user && ids.Contains(e.Id))
                .ExecuteUpdateAsync(s => s.SetProperty(e => e.UserId, (Domain.Common.UserId?)null), ct);
        });
    }
}
