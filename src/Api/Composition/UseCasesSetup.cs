using RenderOwl.Application;
using RenderOwl.Application.Common.Behaviors;
using RenderOwl.Application.Common.Tiers;
using RenderOwl.Application.Identity;
using RenderOwl.Infrastructure;

namespace RenderOwl.Api.Composition;

/// <summary>The Application's use cases behind Mediator (logging → validation → transaction), and their settings.</summary>
public static class UseCasesSetup
{
    public static IServiceCollection AddUseCases(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddApplication();
        services.AddValidatedOptions<TierOptions>(configuration, TierOptions.Section);
        services.AddValidatedOptions<AuthOptions>(configuration, AuthOptions.Section);
        services.AddValidatedOptions<Application.Common.Caching.ReadCacheOptions>(configuration, Application.Common.Caching.ReadCacheOptions.Section);
        services.AddMediator(o =>
        {
            o.ServiceLifetime = ServiceLifetime.Scoped;
            o.Assemblies = [typeof(Application.DependencyInjection)];
            o.PipelineBehaviors = [typeof(LoggingBehavior<,>), typeof(ValidationBehavior<,>), typeof(TransactionBehavior<,>)];
        });
        return services;
    }
}
