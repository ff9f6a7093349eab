using RenderOwl.Api.Http;
using RenderOwl.Application.Common.Json;
using RenderOwl.Infrastructure;

namespace RenderOwl.Api.Composition;

/// <summary>The HTTP surface: proxies, limits, versions, problems, CORS, controllers and their JSON, OpenAPI.</summary>
public static class HttpApiSetup
{
    public static IServiceCollection AddHttpApi(this IServiceCollection services, IConfiguration configuration)
    {
        services.Configure<ForwardedHeadersOptions>(o =>
        {
            // Client addresses (for per-IP limits) come from X-Forwarded-For only through the proxies listed here.
            // With none listed the headers are not read at all: ASP.NET Core treats empty KnownProxies and
            // KnownIPNetworks as "trust every sender", which would let any client choose its address per request
            // (and so its own rate-limit and failed-login buckets).
            var trusted = configuration.GetSection("Proxy:Trusted").Get<string[]>() ?? [];
            o.ForwardedHeaders = trusted.Length == 0
                ? Microsoft.AspNetCore.HttpOverrides.ForwardedHeaders.None
                : Microsoft.AspNetCore.HttpOverrides.ForwardedHeaders.XForwardedFor | Microsoft.AspNetCore.HttpOverrides.ForwardedHeaders.XForwardedProto;
            o.KnownProxies.Clear();
            o.KnownIPNetworks.Clear();
            foreach (var proxy in trusted)
            {
                o.KnownIPNetworks.Add(System.Net.IPNetwork.Parse(proxy.Contains('/', StringComparison.Ordinal) ? proxy : proxy + (proxy.Contains(':', StringComparison.Ordinal) ? "/128" : "/32")));
            }
        });
        services.AddValidatedOptions<RequestLimitsOptions>(configuration, RequestLimitsOptions.Section);
        services.AddValidatedOptions<ApiVersioningOptions>(configuration, ApiVersioningOptions.Section);
        services.AddValidatedOptions<ShutdownOptions>(configuration, ShutdownOptions.Section);
        services.AddSingleton<ETags>();
        services.AddProblemDetails(o => o.CustomizeProblemDetails = Problems.Customize);
        services.AddSingleton<IProblemDetailsWriter, ProblemJsonWriter>(); // after the default: JSON clients keep it, all others get this
        services.AddExceptionHandler<ProblemExceptionHandler>();
        services.AddCors(o => o.AddDefaultPolicy(p => p
            .WithOrigins(configuration.GetSection("Cors:AllowedOrigins").Get<string[]>() ?? [])
            .AllowAnyHeader()
            .WithMethods("GET", "POST", "PATCH", "DELETE")
            .WithExposedHeaders("ETag", "Location", "API-Version", "Deprecation", "Sunset", "Link", "Retry-After",
                "RateLimit", "RateLimit-Policy", "X-RateLimit-Limit", "X-RateLimit-Remaining", "X-RateLimit-Reset",
                "X-Request-Id", "X-Trace-Id", "Idempotent-Replayed")
            .SetPreflightMaxAge(TimeSpan.FromHours(1))));
        services.AddControllers(o =>
            {
                o.ModelBinderProviders.Insert(0, new TypedIdBinderProvider());
                // Nothing binds from forms: without these a urlencoded body sent to a JSON route is parsed (and can throw) before the 415.
                var formFactories = o.ValueProviderFactories.Where(f => f is Microsoft.AspNetCore.Mvc.ModelBinding.FormValueProviderFactory
                    or Microsoft.AspNetCore.Mvc.ModelBinding.JQueryFormValueProviderFactory or Microsoft.AspNetCore.Mvc.ModelBinding.FormFileValueProviderFactory).ToList();
                formFactories.ForEach(f => o.ValueProviderFactories.Remove(f));
                o.SuppressImplicitRequiredAttributeForNonNullableReferenceTypes = true; // validators decide what is required
            })
            .AddJsonOptions(o =>
            {
                ApiJson.Configure(o.JsonSerializerOptions);
                o.AllowInputFormatterExceptionMessages = false; // keep the exception: Problems classifies errors by type
            })
            .ConfigureApiBehaviorOptions(o => o.InvalidModelStateResponseFactory = Problems.InvalidModelState);
        services.ConfigureHttpJsonOptions(o => ApiJson.Configure(o.SerializerOptions));
        services.AddOpenApi("v1", o => OpenApiSetup.Configure(o));
        return services;
    }
}
