using Microsoft.EntityFrameworkCore;
using RenderOwl.Application.Common;
using RenderOwl.Application.Common.Abstractions;
using RenderOwl.Application.Common.Accounts;
using RenderOwl.Domain.Common;

namespace RenderOwl.Application.Templates;

/// <summary>The Templates module's part of an account's data.</summary>
public sealed class TemplateAccountData(IAppDbContext db) : IAccountExportSource, IAccountErasure
{
    public IEnumerable<ExportSection> Sections(UserId owner) =>
    [
        new(30, "templates.json", ExportLayout.Array, ct => AccountRows.Stream(db.Templates.AsNoTracking().Where(t => t.OwnerId == owner).OrderBy(t => t.Id), TemplateResponse.From, ct)),
    ];

    public IEnumerable<ErasureStep> Steps(AccountScope account)
    {
        var owner = account.User;
        yield return new(60, "templates", ct => Chunks.DeleteChunkAsync(db.Templates.Where(t => t.OwnerId == owner), t => t.Id, t => t.CreatedAt, ct));
    }
}
