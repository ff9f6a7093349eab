using RenderOwl.Domain.Assets;
using RenderOwl.Domain.Projects;
using RenderOwl.Domain.Rendering;
using RenderOwl.Domain.Templates;

namespace RenderOwl.Application.Common.Abstractions;

/// <summary>
/// Reads that may be a moment stale (GET of resources and lists), never tracked. Served by the read replica
/// while it is reachable and caught up within <c>Database:ReadReplica:MaxLagSeconds</c> and the account has
/// not written anything in the last <c>ReadYourWritesSeconds</c>; otherwise by the primary (docs/adr/0008).
/// </summary>
public interface IReadDbContext
{
    IQueryable<Project> Projects { get; }
    IQueryable<Asset> Assets { get; }
    IQueryable<Template> Templates { get; }
    IQueryable<Render> Renders { get; }
    IQueryable<RenderEvent> RenderEvents { get; }
}
