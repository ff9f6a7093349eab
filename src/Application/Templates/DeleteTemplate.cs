using FluentValidation;
using Mediator;
using Microsoft.EntityFrameworkCore;
using RenderOwl.Application.Common.Abstractions;
using RenderOwl.Application.Common.Errors;
using RenderOwl.Domain.Common;

namespace RenderOwl.Application.Templates;

public sealed record DeleteTemplateCommand(TemplateId Id) : ITransactionalCommand<Unit>;

public sealed class DeleteTemplateHandler(IAppDbContext db, ICurrentUser current) : ICommandHandler<DeleteTemplateCommand, Unit>
{
    public async ValueTask<Unit> Handle(DeleteTemplateCommand command, CancellationToken cancellationToken)
    {
        var owner = current.Id;
        var deleted = await db.Templates.Where(t => t.Id == command.Id && t.OwnerId == owner).ExecuteDeleteAsync(cancellationToken);
        return deleted == 0 ? throw new NotFoundException("template") : Unit.Value;
    }
}
