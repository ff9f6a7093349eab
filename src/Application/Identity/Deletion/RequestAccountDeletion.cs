using FluentValidation;
using Mediator;
using Microsoft.EntityFrameworkCore;
using RenderOwl.Application.Common.Abstractions;
using RenderOwl.Application.Common.Caching;

namespace RenderOwl.Application.Identity.Deletion;

/// <summary>
/// <c>DELETE /v1/me</c>: with the password (or a sign-in of the last minutes), the account is marked for deletion and,
/// in the same transaction, every session and API key revoked and every unfinished render canceled (a running one is
/// told to stop). Once that commits the cached account is dropped on every instance — from then on its tokens and keys
/// are refused — and the deletion job is queued. No webhook or e-mail is sent for renders canceled this way.
/// </summary>
public sealed record RequestAccountDeletionCommand(string? Password) : ITransactionalCommand<Unit>;

public sealed class RequestAccountDeletionValidator : AbstractValidator<RequestAccountDeletionCommand>
{
    public RequestAccountDeletionValidator() => RuleFor(x => x.Password).MaximumLength(128);
}

public sealed class RequestAccountDeletionHandler(IAppDbContext db, ICurrentUser current, RecentAuthentication reauthentication, IEnumerable<IAccountActivity> activities,
    CacheInvalidation cache, AfterCommit afterCommit, ISessionRevocations revocations, IAccountDataJobs jobs, TimeProvider clock)
    : ICommandHandler<RequestAccountDeletionCommand, Unit>
{
    public async ValueTask<Unit> Handle(RequestAccountDeletionCommand command, CancellationToken cancellationToken)
    {
        await reauthentication.EnsureAsync(command.Password, cancellationToken);
        var id = current.Id;
        var now = clock.GetUtcNow();
        var user = await db.Users.FirstAsync(u => u.Id == id, cancellationToken);
        user.RequestDeletion(now);

        var families = await db.RefreshTokens.Where(t => t.UserId == id && t.RevokedAt == null).Select(t => t.FamilyId).Distinct().ToListAsync(cancellationToken);
        await db.RefreshTokens.Where(t => t.UserId == id && t.RevokedAt == null).ExecuteUpdateAsync(s => s.SetProperty(t => t.RevokedAt, now), cancellationToken);
        await db.ApiKeys.Where(k => k.UserId == id && k.RevokedAt == null).ExecuteUpdateAsync(s => s.SetProperty(k => k.RevokedAt, now), cancellationToken);

        foreach (var activity in activities)
        {
            await activity.StopAsync(id, now, cancellationToken);
        }
        await db.SaveChangesAsync(cancellationToken);

        await cache.InvalidateAsync([CacheKeys.Owner(id), CacheKeys.Account(id)], cancellationToken);
        foreach (var family in families)
        {
            await afterCommit.RunAsync("mark session ended", ct => revocations.MarkEndedAsync(family, ct), cancellationToken);
        }
        await afterCommit.RunAsync("enqueue the account's deletion", _ =>
        {
            jobs.DeleteAccount(id);
            return Task.CompletedTask;
        }, cancellationToken);
        return Unit.Value;
    }
}
