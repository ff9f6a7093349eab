using FluentValidation;
using Mediator;
using Microsoft.EntityFrameworkCore;
using RenderOwl.Application.Common.Abstractions;
using RenderOwl.Application.Common.Errors;
using RenderOwl.Application.Common.Validation;
using RenderOwl.Domain.Identity;

namespace RenderOwl.Application.Identity.ApiKeys;

/// <summary>A key never expires, so creating one needs a recent sign-in or the current password (<see cref="RecentAuthentication"/>).</summary>
public sealed record CreateApiKeyCommand(string Name, ApiKeyMode Mode, string? Password = null) : ITransactionalCommand<ApiKeyCreatedResponse>;

public sealed class CreateApiKeyValidator : AbstractValidator<CreateApiKeyCommand>
{
    public CreateApiKeyValidator()
    {
        RuleFor(x => x.Name).NotBlank("name").MaximumLength(ApiKey.NameMaxLength);
        RuleFor(x => x.Password).MaximumLength(200);
        RuleFor(x => x.Mode).IsInEnum();
    }
}

public sealed class CreateApiKeyHandler(IAppDbContext db, ICurrentUser current, IApiKeyService keys, RecentAuthentication recent, TimeProvider clock)
    : ICommandHandler<CreateApiKeyCommand, ApiKeyCreatedResponse>
{
    public const int MaxActiveKeys = 50;

    public async ValueTask<ApiKeyCreatedResponse> Handle(CreateApiKeyCommand command, CancellationToken cancellationToken)
    {
        var owner = current.Id;
        await recent.EnsureAsync(command.Password, cancellationToken);
        if (await db.ApiKeys.CountAsync(k => k.UserId == owner && k.RevokedAt == null, cancellationToken) >= MaxActiveKeys)
        {
            throw new ConflictException(ErrorCatalog.Conflict, $"An account may hold at most {MaxActiveKeys} active API keys. Revoke one first.");
        }
        var generated = keys.Generate(command.Mode);
        var key = ApiKey.Create(owner, command.Name, command.Mode, generated.Prefix, generated.Hash, clock.GetUtcNow());
        db.ApiKeys.Add(key);
        await db.SaveChangesAsync(cancellationToken);
        return new ApiKeyCreatedResponse(key.Id, key.Name, key.Mode, key.Prefix, generated.Key, key.CreatedAt);
    }
}
