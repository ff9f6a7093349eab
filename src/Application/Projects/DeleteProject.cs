using Mediator;
using Microsoft.EntityFrameworkCore;
using RenderOwl.Application.Common.Abstractions;
using RenderOwl.Application.Common.Errors;
using RenderOwl.Domain.Common;

namespace RenderOwl.Application.Projects;

public sealed record DeleteProjectCommand(ProjectId Id, DateTimeOffset? ExpectedVersion) : ITransactionalCommand<Unit>;

public sealed class DeleteProjectHandler(IAppDbContext db, ICurrentUser current) : ICommandHandler<DeleteProjectCommand, Unit>
{
    public async ValueTask<Unit> Handle(DeleteProjectCommand command, CancellationToken cancellationToken)
    {
        var owner = current.Id;
        var project = await db.Projects.FirstOrDefaultAsync(p => p.Id == command.Id && p.OwnerId == owner, cancellationToken)
            ?? throw new NotFoundException("project");
        if (command.ExpectedVersion is { } expected && project.UpdatedAt != expected)
        {
            throw new PreconditionFailedException();
        }
        db.Projects.Remove(project);
        await db.SaveChangesAsync(cancellationToken);
        return Unit.Value;
    }
}
