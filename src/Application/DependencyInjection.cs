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
        services.AddSingleton(TimeProvider.System);
        services.AddOptions<Common.Tiers.TierOptions>();
        return services;
    }
}
