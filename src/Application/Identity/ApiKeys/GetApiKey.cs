using Mediator;
using Microsoft.EntityFrameworkCore;
using RenderOwl.Application.Common.Abstractions;
using RenderOwl.Application.Common.Errors;
using RenderOwl.Domain.Common;

namespace RenderOwl.Application.Identity.ApiKeys;

public sealed record GetApiKeyQuery(ApiKeyId Id) : IQuery<ApiKeyResponse>;

public sealed class GetApiKeyHandler(IAppDbContext db, ICurrentUser current) : IQueryHandler<GetApiKeyQuery, ApiKeyResponse>
{
    public async ValueTask<ApiKeyResponse> Handle(GetApiKeyQuery query, CancellationToken cancellationToken)
    {
        var owner = current.Id;
        return await db.ApiKeys.AsNoTracking()
            .Where(k => k.Id == query.Id && k.UserId == owner && k.RevokedAt == null)
            .Select(ApiKeyResponse.Projection)
            .FirstOrDefaultAsync(cancellationToken)
            ?? throw new NotFoundException("API key");
    }
}
