using Mediator;
using RenderOwl.Application.Common.Abstractions;
using RenderOwl.Domain.Common;

namespace RenderOwl.Application.Projects;

public sealed record DeleteProjectCommand(ProjectId Id, DateTimeOffset? ExpectedVersion) : ITransactionalCommand<Unit>, IRetriesOnConcurrentChange
{
    public bool RetryOnConcurrentChange => ExpectedVersion is null;
}

public sealed class DeleteProjectHandler(IAppDbContext db, ICurrentUser current) : ICommandHandler<DeleteProjectCommand, Unit>
{
    public async ValueTask<Unit> Handle(DeleteProjectCommand command, CancellationToken cancellationToken)
    {
        var project = await OwnedProjects.LoadForChangeAsync(db, current, command.Id, command.ExpectedVersion, cancellationToken);
        db.Projects.Remove(project);
        await db.SaveChangesAsync(cancellationToken);
        return Unit.Value;
    }
}
