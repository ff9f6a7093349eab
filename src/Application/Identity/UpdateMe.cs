using FluentValidation;
using Mediator;
using Microsoft.EntityFrameworkCore;
using RenderOwl.Application.Common;
using RenderOwl.Application.Common.Abstractions;
using RenderOwl.Application.Common.Errors;
using RenderOwl.Application.Common.Validation;

namespace RenderOwl.Application.Identity;

/// <summary><c>PATCH /v1/me</c>: the account's name and whether a finished render sends an e-mail. Answers as <c>GET /v1/me</c>.</summary>
public sealed record UpdateMeCommand(Optional<string?> Name, Optional<bool?> EmailNotifications) : ITransactionalCommand<Unit>;

public sealed class UpdateMeValidator : AbstractValidator<UpdateMeCommand>
{
    public UpdateMeValidator()
    {
        RuleFor(x => x.Name.Value).NotBlank("name").MaximumLength(100).OverridePropertyName("name").When(x => x.Name.IsSet);
        RuleFor(x => x.EmailNotifications.Value).NotNull().WithErrorCode("required").WithMessage("'email_notifications' is true or false.")
            .OverridePropertyName("email_notifications").When(x => x.EmailNotifications.IsSet);
    }
}

public sealed class UpdateMeHandler(IAppDbContext db, ICurrentUser current, TimeProvider clock) : ICommandHandler<UpdateMeCommand, Unit>
{
    public async ValueTask<Unit> Handle(UpdateMeCommand command, CancellationToken cancellationToken)
    {
        var id = current.Id;
        var user = await db.Users.FirstOrDefaultAsync(u => u.Id == id, cancellationToken) ?? throw new NotFoundException("account");
        user.UpdateProfile(command.Name.IsSet ? command.Name.Value!.Trim() : null, command.EmailNotifications.IsSet ? command.EmailNotifications.Value : null, clock.GetUtcNow());
        await db.SaveChangesAsync(cancellationToken);
        return Unit.Value;
    }
}
