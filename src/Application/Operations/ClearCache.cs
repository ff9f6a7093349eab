using FluentValidation;
using Mediator;
using RenderOwl.Application.Common.Abstractions;

namespace RenderOwl.Application.Operations;

/// <summary>Admin: empty the read cache on every instance, or drop one tag's entries (<c>project:…</c>, <c>owner:…</c>); a warm-up follows a full clear.</summary>
public sealed record ClearCacheCommand(string? Tag) : ICommand<Unit>;

public sealed class ClearCacheValidator : AbstractValidator<ClearCacheCommand>
{
    public ClearCacheValidator()
    {
        RuleFor(x => x.Tag).NotEmpty().MaximumLength(200).Matches("^[a-z_]+:[A-Za-z0-9_-]+$")
            .WithMessage("A tag is a kind and an id, e.g. 'project:0190f5c2a1b27c3d8e9f0a1b2c3d4e5f'.")
            .When(x => x.Tag is not null);
    }
}

public sealed class ClearCacheHandler(ICacheOperations cache) : ICommandHandler<ClearCacheCommand, Unit>
{
    public async ValueTask<Unit> Handle(ClearCacheCommand command, CancellationToken cancellationToken)
    {
        await cache.ClearAsync(command.Tag, cancellationToken);
        return Unit.Value;
    }
}
