using Microsoft.EntityFrameworkCore;
using RenderOwl.Application.Common;
using RenderOwl.Application.Common.Abstractions;
using RenderOwl.Application.Common.Accounts;
using RenderOwl.Domain.Common;

namespace RenderOwl.Application.Notifications;

/// <summary>The Notifications module's part of an account's data: its in-app notifications.</summary>
public sealed class NotificationAccountData(IAppDbContext db) : IAccountExportSource, IAccountErasure
{
    public IEnumerable<ExportSection> Sections(UserId owner) =>
    [
        new(70, "notifications.json", ExportLayout.Array, ct => AccountRows.Stream(db.Notifications.AsNoTracking().Where(n => n.UserId == owner).OrderBy(n => n.Id), NotificationResponse.From, ct)),
    ];

    public IEnumerable<ErasureStep> Steps(AccountScope account)
    {
        var owner = account.User;
        yield return new(20, "notifications", ct => Chunks.DeleteChunkAsync(db.Notifications.Where(n => n.UserId == owner), n => n.Id, n => n.CreatedAt, ct));
    }
}
