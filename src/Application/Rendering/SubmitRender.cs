using FluentValidation;
using Mediator;
using RenderOwl.Application.Common.Abstractions;
using RenderOwl.Domain.Common;

namespace RenderOwl.Application.Rendering;

/// <summary>Queue one render of a composition, or of a template with modifications (202).</summary>
public sealed record SubmitRenderCommand(ProjectId ProjectId, RenderRequest Request) : ITransactionalCommand<RenderResponse>;

public sealed class SubmitRenderValidator : AbstractValidator<SubmitRenderCommand>
{
    public SubmitRenderValidator(RenderDrafts drafts)
        => RuleFor(x => x).CustomAsync((command, context, ct) => context.CheckAsync(drafts, command.ProjectId, command.Request, "", ct));
}

public sealed class SubmitRenderHandler(RenderDrafts drafts, RenderIntake intake) : ICommandHandler<SubmitRenderCommand, RenderResponse>
{
    public async ValueTask<RenderResponse> Handle(SubmitRenderCommand command, CancellationToken cancellationToken)
        => (await intake.QueueAsync(command.ProjectId, [drafts.Checked(command.Request)], _ => "", cancellationToken))[0];
}
