using Microsoft.EntityFrameworkCore;
using RenderOwl.Application.Common;
using RenderOwl.Application.Common.Abstractions;
using RenderOwl.Application.Notifications;
using RenderOwl.Domain.Notifications;
using RenderOwl.Domain.Rendering;
using RenderOwl.Infrastructure.Idempotency;
using RenderOwl.Infrastructure.Persistence.Configurations.Rendering;

namespace RenderOwl.Infrastructure.Persistence;

/// <summary>
/// Account deletion's steps for the tables this layer owns (stored idempotent responses, the dispatcher's fairness
/// turns, the usage roll-up) and for the record of sent render e-mails, which joins two modules: it is named by the
/// render's id, so it goes while the account's renders are still there to name it.
/// </summary>
public sealed class InfrastructureErasure(AppDbContext db, IAnalyticsStore analytics) : IAccountErasure
{
    public IEnumerable<ErasureStep> Steps(AccountScope account)
    {
        var principals = account.Principals.ToList();
        var owner = account.User.Value;
        yield return new(39, "sent_emails", ct => ForgetRenderEmailsAsync(account, ct));
        yield return new(85, "idempotency_keys", ct => Chunks.DeleteChunkAsync(db.Set<IdempotencyRecord>().Where(r => principals.Contains(r.Scope)), r => r.Key, r => r.Key, ct));
        yield return new(86, "account_turns", ct => db.Set<DispatcherTurn>().Where(t => t.OwnerId == owner).ExecuteDeleteAsync(ct));
        yield return new(87, "analytics_hourly", ct => analytics.DeleteOwnerHoursAsync(account.User, ct));
    }

    private async Task<int> ForgetRenderEmailsAsync(AccountScope account, CancellationToken cancellationToken)
    {
        var owner = account.User;
        var renders = await db.Set<Render>().AsNoTracking().Where(r => r.OwnerId == owner).Select(r => r.Id).ToListAsync(cancellationToken);
        var deleted = 0;
        foreach (var chunk in renders.Chunk(IRetentionPolicy.ChunkSize))
        {
            var messageIds = chunk.Select(id => RenderEmail.MessageIdOf(id.ToString())).ToList();
            deleted += await db.Set<SentEmail>().Where(e => messageIds.Contains(e.MessageId)).ExecuteDeleteAsync(cancellationToken);
        }
        return deleted;
    }
}
