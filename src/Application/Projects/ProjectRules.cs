using FluentValidation;
using RenderOwl.Application.Common.Validation;
using RenderOwl.Domain.Projects;

namespace RenderOwl.Application.Projects;

internal static class ProjectRules
{
    public static IRuleBuilderOptions<T, string?> ValidName<T>(this IRuleBuilder<T, string?> rule)
        => rule.NotBlank("name").MaximumLength(Project.NameMaxLength);

    public static IRuleBuilderOptions<T, string?> ValidDescription<T>(this IRuleBuilder<T, string?> rule)
        => rule.MaximumLength(Project.DescriptionMaxLength);
}
