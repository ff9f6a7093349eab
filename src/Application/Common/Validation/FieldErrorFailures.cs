using FluentValidation;
using FluentValidation.Results;
using RenderOwl.Application.Common.Errors;

namespace RenderOwl.Application.Common.Validation;

/// <summary>Rules that compute their errors as <see cref="FieldError"/>s (compositions, templates) report them to FluentValidation here.</summary>
public static class FieldErrorFailures
{
    public static void AddFailures<T>(this ValidationContext<T> context, IEnumerable<FieldError> errors, string prefix = "")
    {
        foreach (var error in errors)
        {
            context.AddFailure(new ValidationFailure(prefix + error.Field, error.Message) { ErrorCode = error.Code });
        }
    }
}
