using FluentValidation;
using Mediator;
using RenderOwl.Application.Common.Abstractions;
using RenderOwl.Domain.Projects;

namespace RenderOwl.Application.Projects;

public sealed record CreateProjectCommand(string Name, string? Description) : ITransactionalCommand<ProjectResponse>;

public sealed class CreateProjectValidator : AbstractValidator<CreateProjectCommand>
{
    public CreateProjectValidator()
    {
        RuleFor(x => x.Name).ValidName();
        RuleFor(x => x.Description).ValidDescription();
    }
}

public sealed class CreateProjectHandler(IAppDbContext db, ICurrentUser current, TimeProvider clock)
    : ICommandHandler<CreateProjectCommand, ProjectResponse>
{
    public async ValueTask<ProjectResponse> Handle(CreateProjectCommand command, CancellationToken cancellationToken)
    {
        var project = Project.Create(current.Id, command.Name, command.Description, clock.GetUtcNow());
        db.Projects.Add(project);
        await db.SaveChangesAsync(cancellationToken);
        return ProjectResponse.From(project);
    }
}
