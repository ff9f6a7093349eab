using FluentValidation;
using Mediator;
using RenderOwl.Application.Common.Abstractions;
using RenderOwl.Domain.Common;

namespace RenderOwl.Application.Rendering;

/// <summary>Up to 100 renders, checked all or nothing and queued in one transaction. A null item (<c>{"renders": [null]}</c>) is a field error, never a fault.</summary>
public sealed record SubmitRenderBatchCommand(ProjectId ProjectId, IReadOnlyList<RenderRequest?> Renders) : ITransactionalCommand<IReadOnlyList<RenderResponse>>;

public sealed class SubmitRenderBatchValidator : AbstractValidator<SubmitRenderBatchCommand>
{
    public const int MaxBatch = 100;

    public SubmitRenderBatchValidator(RenderDrafts drafts)
    {
        RuleFor(x => x.Renders).NotEmpty().Must(r => r is null || r.Count <= MaxBatch).WithErrorCode("too_many").WithMessage($"At most {MaxBatch} renders per batch.")
            .DependentRules(() => RuleFor(x => x).CustomAsync(async (command, context, ct) =>
            {
                for (var i = 0; i < command.Renders.Count; i++)
                {
                    if (command.Renders[i] is { } request)
                    {
                        await context.CheckAsync(drafts, command.ProjectId, request, $"renders[{i}].", ct);
                    }
                    else
                    {
                        context.AddFailure(new FluentValidation.Results.ValidationFailure($"renders[{i}]", "A render of the batch is null; send an object.") { ErrorCode = "required" });
                    }
                }
            }));
    }
}

public sealed class SubmitRenderBatchHandler(RenderDrafts drafts, RenderIntake intake) : ICommandHandler<SubmitRenderBatchCommand, IReadOnlyList<RenderResponse>>
{
    public async ValueTask<IReadOnlyList<RenderResponse>> Handle(SubmitRenderBatchCommand command, CancellationToken cancellationToken)
        => await intake.QueueAsync(command.ProjectId, command.Renders.Select(r => drafts.Checked(r!)).ToList(), i => $"renders[{i}].", cancellationToken);
}
