using FluentValidation;
using Mediator;
using Microsoft.EntityFrameworkCore;
using RenderOwl.Application.Common.Abstractions;
using RenderOwl.Application.Common.Errors;
using RenderOwl.Domain.Common;
using RenderOwl.Domain.Operations;

namespace RenderOwl.Application.Operations.Monitoring;

/// <summary>
/// Admin: marks a server error resolved (or open again). Resolved errors go after 90 days; open ones stay. The id
/// carries the error's time, so the lookup reads one day's partition by its primary key.
/// </summary>
public sealed record UpdateErrorLogCommand(ErrorLogId Id, bool? Resolved) : ICommand<ErrorLogResponse>;

public sealed class UpdateErrorLogValidator : AbstractValidator<UpdateErrorLogCommand>
{
    public UpdateErrorLogValidator()
    {
        RuleFor(x => x.Resolved).NotNull().OverridePropertyName("resolved").WithErrorCode("required").WithMessage("'resolved' (true or false) is required.");
    }
}

public sealed class UpdateErrorLogHandler(IAppDbContext db, TimeProvider clock) : ICommandHandler<UpdateErrorLogCommand, ErrorLogResponse>
{
    public async ValueTask<ErrorLogResponse> Handle(UpdateErrorLogCommand command, CancellationToken cancellationToken)
    {
        var at = ErrorLog.OccurredAtOf(command.Id);
        var error = await db.ErrorLogs.FirstOrDefaultAsync(e => e.OccurredAt == at && e.Id == command.Id, cancellationToken)
            ?? throw new NotFoundException("error");
        error.MarkResolved(command.Resolved!.Value, clock.GetUtcNow());
        await db.SaveChangesAsync(cancellationToken);
        return ErrorLogResponse.From(error);
    }
}
