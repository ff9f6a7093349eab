using FluentValidation;
using Mediator;
using Microsoft.EntityFrameworkCore;
using RenderOwl.Application.Common.Abstractions;
using RenderOwl.Application.Common.Errors;
using RenderOwl.Domain.Identity;

namespace RenderOwl.Application.Identity;

public sealed record RegisterCommand(string Email, string Password, string Name) : ITransactionalCommand<AuthResponse>;

public sealed class RegisterValidator : AbstractValidator<RegisterCommand>
{
    public RegisterValidator()
    {
        RuleFor(x => x.Email).NotEmpty().MaximumLength(254).EmailAddress();
        RuleFor(x => x.Password).NotEmpty().MinimumLength(10).MaximumLength(128);
        RuleFor(x => x.Name).NotEmpty().MaximumLength(100);
    }
}

public sealed class RegisterHandler(IAppDbContext db, IPasswordHasher hasher, ITokenService tokens, TimeProvider clock)
    : ICommandHandler<RegisterCommand, AuthResponse>
{
    public async ValueTask<AuthResponse> Handle(RegisterCommand command, CancellationToken cancellationToken)
    {
        var email = User.NormalizeEmail(command.Email);
        if (await db.Users.AnyAsync(u => u.Email == email, cancellationToken))
        {
            throw new ConflictException(ErrorCatalog.EmailTaken, "An account with this e-mail address already exists.");
        }
        var now = clock.GetUtcNow();
        var user = User.Register(email, command.Name, hasher.Hash(command.Password), now);
        db.Users.Add(user);
        var response = Sessions.Issue(db, tokens, user, familyId: null, now);
        await db.SaveChangesAsync(cancellationToken);
        return response;
    }
}
