using Microsoft.EntityFrameworkCore;
using RenderOwl.Application.Common;
using RenderOwl.Application.Common.Abstractions;
using RenderOwl.Application.Common.Accounts;
using RenderOwl.Domain.Common;

namespace RenderOwl.Application.Projects;

/// <summary>The Projects module's part of an account's data (after everything that points at a project is gone).</summary>
public sealed class ProjectAccountData(IAppDbContext db) : IAccountExportSource, IAccountErasure
{
    public IEnumerable<ExportSection> Sections(UserId owner) =>
    [
        new(10, "projects.json", ExportLayout.Array, ct => AccountRows.Stream(db.Projects.AsNoTracking().Where(p => p.OwnerId == owner).OrderBy(p => p.Id), ProjectResponse.From, ct)),
    ];

    public IEnumerable<ErasureStep> Steps(AccountScope account)
    {
        var owner = account.User;
        yield return new(61, "projects", ct => Chunks.DeleteChunkAsync(db.Projects.Where(p => p.OwnerId == owner), p => p.Id, p => p.CreatedAt, ct));
    }
}
