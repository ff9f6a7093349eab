using Microsoft.AspNetCore.OpenApi;
using Microsoft.OpenApi;
using RenderOwl.Application.Common;
using RenderOwl.Domain.Common;

namespace RenderOwl.Api;

public static class OpenApiSetup
{
    // Over 60 lines on purpose: the document transformers read best as one list, in the order they apply.
    public static void Configure(OpenApiOptions o)
    {
        o.OpenApiVersion = OpenApiSpecVersion.OpenApi3_1;
        o.AddDocumentTransformer((document, _, _) =>
        {
            document.Info = new OpenApiInfo
            {
                Title = "RenderOwl API",
                Version = "1",
                Description = "Video rendering API. Errors are RFC 9457 problems (GET /v1/meta/errors lists every type). The guide: docs/api.md.",
                License = new OpenApiLicense { Name = "Proprietary", Identifier = "LicenseRef-RenderOwl-Proprietary" },
            };
            foreach (var server in document.Servers ?? [])
            {
                server.Url = server.Url?.TrimEnd('/'); // "http://host:8080", as clients join paths to it
            }
            document.Components ??= new OpenApiComponents();
            document.Components.SecuritySchemes ??= new Dictionary<string, IOpenApiSecurityScheme>();
            document.Components.SecuritySchemes["bearer"] = new OpenApiSecurityScheme
            {
                Type = SecuritySchemeType.Http,
                Scheme = "bearer",
                BearerFormat = "JWT",
                Description = "An access token from POST /v1/auth/login.",
            };
            document.Components.SecuritySchemes["api_key"] = new OpenApiSecurityScheme
            {
                Type = SecuritySchemeType.ApiKey,
                In = ParameterLocation.Header,
                Name = "X-API-Key",
                Description = "An API key from POST /v1/api-keys (rok_live_… or rok_test_…); also accepted as Authorization: Bearer rok_….",
            };
            document.Components.Schemas ??= new Dictionary<string, IOpenApiSchema>();
            document.Components.Schemas[OpenApiOperations.ProblemSchema] = OpenApiOperations.Problem();
            document.Tags = new HashSet<OpenApiTag>(OpenApiOperations.TagDescriptions.Select(t => new OpenApiTag { Name = t.Key, Description = t.Value }));
            document.Security ??= [];
            document.Security.Add(new OpenApiSecurityRequirement { [new OpenApiSecuritySchemeReference("bearer", document)] = [] });
            document.Security.Add(new OpenApiSecurityRequirement { [new OpenApiSecuritySchemeReference("api_key", document)] = [] });
            return Task.CompletedTask;
        });
        OpenApiOperations.Configure(o);
        o.AddSchemaTransformer((schema, context, _) =>
        {
            var type = context.JsonTypeInfo.Type;
            var typedId = type.GetInterfaces().FirstOrDefault(i => i.IsGenericType && i.GetGenericTypeDefinition() == typeof(ITypedId<>));
            if (typedId is not null)
            {
                var prefix = (string)type.GetProperty("Prefix")!.GetValue(null)!;
                schema.Type = JsonSchemaType.String;
                schema.Pattern = $"^{prefix}_[0-9a-hjkmnp-tv-z]{{26}}$";
                schema.Properties?.Clear();
            }
            else if (type.IsGenericType && type.GetGenericTypeDefinition() == typeof(Optional<>))
            {
                schema.Type = JsonSchemaType.String | JsonSchemaType.Null;
                schema.Properties?.Clear();
            }
            else if (type == typeof(DateTimeOffset))
            {
                schema.Type = JsonSchemaType.String;
                schema.Format = "date-time";
            }
            return Task.CompletedTask;
        });
    }
}
