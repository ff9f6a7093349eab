using FluentValidation;
using Mediator;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using RenderOwl.Application.Common.Abstractions;
using RenderOwl.Application.Common.Errors;
using RenderOwl.Domain.Common;

namespace RenderOwl.Application.Rendering.Sharing;

/// <param name="RenderId">The render to share.</param>
/// <param name="ExpiresIn">Seconds the link works: 60 to 30 days, default 24 h.</param>
/// <param name="RequestOrigin">The origin the request came to (<c>https://host</c>), used when <c>Sharing:BaseUrl</c> is not set.</param>
public sealed record CreateShareLinkCommand(RenderId RenderId, int? ExpiresIn, string RequestOrigin) : ICommand<ShareLinkResponse>;

public sealed record ShareLinkResponse(string Url, DateTimeOffset ExpiresAt);

public sealed class CreateShareLinkValidator : AbstractValidator<CreateShareLinkCommand>
{
    public const int MinSeconds = 60;
    public const int MaxSeconds = 30 * 24 * 3600;

    public CreateShareLinkValidator()
        => RuleFor(x => x.ExpiresIn).InclusiveBetween(MinSeconds, MaxSeconds).When(x => x.ExpiresIn is not null)
            .WithMessage($"'expires_in' must be {MinSeconds} seconds to 30 days ({MaxSeconds}).");
}

/// <summary>A signed link to a succeeded render's output that anyone may GET until it expires or is revoked. 409 before the render succeeded, 410 once its file is gone.</summary>
public sealed class CreateShareLinkHandler(IReadDbContext db, ICurrentUser current, ShareLinks links, IOptions<SharingOptions> options, TimeProvider clock)
    : ICommandHandler<CreateShareLinkCommand, ShareLinkResponse>
{
    public async ValueTask<ShareLinkResponse> Handle(CreateShareLinkCommand command, CancellationToken cancellationToken)
    {
        var owner = current.Id;
        var render = await db.Renders.AsNoTracking().Where(r => r.Id == command.RenderId && r.OwnerId == owner)
            .Select(r => new { r.Status, HasOutput = r.Output != null, r.OutputExpiredAt, r.ShareEpoch }).FirstOrDefaultAsync(cancellationToken)
            ?? throw new NotFoundException("render");
        if (!render.HasOutput)
        {
            throw new ConflictException(ErrorCatalog.RenderNotFinished, $"The render is {render.Status.ToString().ToLowerInvariant()}; it can be shared once it has succeeded.");
        }
        if (render.OutputExpiredAt is not null)
        {
            throw new GoneException(ErrorCatalog.OutputExpired, "The output's file was removed by retention; there is nothing to share.");
        }
        var expiresAt = DateTimeOffset.FromUnixTimeSeconds(clock.GetUtcNow().ToUnixTimeSeconds() + (command.ExpiresIn ?? 86_400));
        var origin = string.IsNullOrWhiteSpace(options.Value.BaseUrl) ? command.RequestOrigin : options.Value.BaseUrl!.TrimEnd('/');
        return new ShareLinkResponse(origin + ShareLinks.PathPrefix + links.Token(command.RenderId, expiresAt, render.ShareEpoch), expiresAt);
    }
}
