using FluentValidation;
using Mediator;
using Microsoft.EntityFrameworkCore;
using RenderOwl.Application.Common.Abstractions;
using RenderOwl.Application.Common.Caching;
using RenderOwl.Application.Common.Errors;
using RenderOwl.Domain.Common;

namespace RenderOwl.Application.Templates;

public sealed record DeleteTemplateCommand(TemplateId Id) : ITransactionalCommand<Unit>;

public sealed class DeleteTemplateHandler(IAppDbContext db, ICurrentUser current, CacheInvalidation cache) : ICommandHandler<DeleteTemplateCommand, Unit>
{
    public async ValueTask<Unit> Handle(DeleteTemplateCommand command, CancellationToken cancellationToken)
    {
        var owner = current.Id;
        var deleted = await db.Templates.Where(t => t.Id == command.Id && t.OwnerId == owner).ExecuteDeleteAsync(cancellationToken);
        if (deleted == 0)
        {
            throw new NotFoundException("template");
        }
        await cache.InvalidateAsync([CacheKeys.Template(command.Id)], cancellationToken); // a bulk delete: the save hook does not see it
        return Unit.Value;
    }
}
