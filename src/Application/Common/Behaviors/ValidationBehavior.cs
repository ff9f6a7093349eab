using FluentValidation;
using Mediator;
using RenderOwl.Application.Common.Errors;
using RenderOwl.Application.Common.Validation;

namespace RenderOwl.Application.Common.Behaviors;

public sealed class ValidationBehavior<TMessage, TResponse>(IEnumerable<IValidator<TMessage>> validators)
    : IPipelineBehavior<TMessage, TResponse>
    where TMessage : notnull, IMessage
{
    public async ValueTask<TResponse> Handle(TMessage message, MessageHandlerDelegate<TMessage, TResponse> next, CancellationToken cancellationToken)
    {
        List<FieldError>? errors = null;
        var context = new ValidationContext<TMessage>(message);
        // One after another: validators may share the scoped DbContext, which is not thread-safe.
        foreach (var validator in validators)
        {
            var result = await validator.ValidateAsync(context, cancellationToken);
            foreach (var failure in result.Errors)
            {
                (errors ??= []).Add(new FieldError(failure.PropertyName, ValidationNaming.Code(failure.ErrorCode), failure.ErrorMessage));
            }
        }
        if (errors is not null)
        {
            throw new ValidationFailedException(errors);
        }
        return await next(message, cancellationToken);
    }
}
