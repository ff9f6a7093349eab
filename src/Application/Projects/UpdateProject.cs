using FluentValidation;
using Mediator;
using RenderOwl.Application.Common;
using RenderOwl.Application.Common.Abstractions;
using RenderOwl.Domain.Common;

namespace RenderOwl.Application.Projects;

/// <summary>PATCH of a project. ExpectedVersion comes from If-Match: the updated_at of the representation the client holds.</summary>
public sealed record UpdateProjectCommand(ProjectId Id, Optional<string> Name, Optional<string?> Description, DateTimeOffset? ExpectedVersion)
    : ITransactionalCommand<ProjectResponse>, IRetriesOnConcurrentChange
{
    public bool RetryOnConcurrentChange => ExpectedVersion is null;
}

public sealed class UpdateProjectValidator : AbstractValidator<UpdateProjectCommand>
{
    public UpdateProjectValidator()
    {
        RuleFor(x => x.Name.Value).ValidName().OverridePropertyName("name").When(x => x.Name.IsSet);
        RuleFor(x => x.Description.Value).ValidDescription().OverridePropertyName("description").When(x => x.Description.IsSet);
    }
}

public sealed class UpdateProjectHandler(IAppDbContext db, IProjectLocks locks, ICurrentUser current, TimeProvider clock)
    : ICommandHandler<UpdateProjectCommand, ProjectResponse>
{
    public async ValueTask<ProjectResponse> Handle(UpdateProjectCommand command, CancellationToken cancellationToken)
    {
        var project = await OwnedProjects.LockForChangeAsync(locks, current, command.Id, command.ExpectedVersion, cancellationToken);
        var now = clock.GetUtcNow();
        if (command.Name.IsSet)
        {
            project.Rename(command.Name.Value, now);
        }
        if (command.Description.IsSet)
        {
            project.Describe(command.Description.Value, now);
        }
        await db.SaveChangesAsync(cancellationToken); // the row lock keeps other writers out; xmin still guards the write
        return ProjectResponse.From(project);
    }
}
