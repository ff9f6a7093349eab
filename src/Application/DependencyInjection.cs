using FluentValidation;
using Microsoft.Extensions.DependencyInjection;
using RenderOwl.Application.Common.Pagination;
using RenderOwl.Application.Common.Validation;

namespace RenderOwl.Application;

public static class DependencyInjection
{
    public static IServiceCollection AddApplication(this IServiceCollection services)
    {
        ValidationNaming.Configure();
        services.AddValidatorsFromAssembly(typeof(DependencyInjection).Assembly, ServiceLifetime.Scoped, includeInternalTypes: true);
        services.AddScoped<Paginator>();
        services.AddScoped<Assets.AssetIngest>();
        services.AddScoped<Common.Abstractions.IProjectAccess, Projects.ProjectAccess>();
        services.AddSingleton<Common.Abstractions.ICompositionValidator, Rendering.CompositionParser>();
        services.AddSingleton(TimeProvider.System);
        services.AddOptions<Common.Tiers.TierOptions>();
        return services;
    }
}
