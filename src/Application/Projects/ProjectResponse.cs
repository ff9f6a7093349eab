using System.Linq.Expressions;
using RenderOwl.Application.Common.Pagination;
using RenderOwl.Domain.Common;
using RenderOwl.Domain.Projects;

namespace RenderOwl.Application.Projects;

public sealed record ProjectResponse(ProjectId Id, string Name, string? Description, DateTimeOffset CreatedAt, DateTimeOffset UpdatedAt, int RenderCount)
{
    public static readonly Expression<Func<Project, ProjectResponse>> Projection =
        p => new ProjectResponse(p.Id, p.Name, p.Description, p.CreatedAt, p.UpdatedAt, p.RenderCount);

    private static readonly Func<Project, ProjectResponse> Map = Projection.Compile();

    public static ProjectResponse From(Project p) => Map(p);

    internal static readonly Keyset<Project> Keyset = Keysets.NewestFirst<Project, ProjectId>(p => p.CreatedAt, p => p.Id, ProjectId.From);
}
