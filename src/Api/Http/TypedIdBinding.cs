using Microsoft.AspNetCore.Mvc.ModelBinding;
using RenderOwl.Application.Common.Errors;
using RenderOwl.Domain.Common;

namespace RenderOwl.Api.Http;

/// <summary>Binds prefixed ids in routes and queries; a malformed one is a 400 <c>invalid-id</c>, never a 404 or a 500.</summary>
public sealed class TypedIdBinderProvider : IModelBinderProvider
{
    public IModelBinder? GetBinder(ModelBinderProviderContext context)
    {
        var type = context.Metadata.ModelType;
        var isTypedId = type.IsValueType && type.GetInterfaces().Any(i => i.IsGenericType && i.GetGenericTypeDefinition() == typeof(ITypedId<>));
        return isTypedId ? (IModelBinder)Activator.CreateInstance(typeof(TypedIdBinder<>).MakeGenericType(type))! : null;
    }

    private sealed class TypedIdBinder<T> : IModelBinder where T : struct, ITypedId<T>
    {
        public Task BindModelAsync(ModelBindingContext bindingContext)
        {
            var raw = bindingContext.ValueProvider.GetValue(bindingContext.ModelName).FirstValue;
            if (raw is null)
            {
                return Task.CompletedTask;
            }
            if (!TypedId.TryParse<T>(raw, out var id))
            {
                var shown = raw.Length > 64 ? raw[..64] + "…" : raw;
                throw new BadRequestException(ErrorCatalog.InvalidId, $"'{shown}' is not a valid id; expected '{T.Prefix}_' followed by 26 base32 characters.");
            }
            bindingContext.Result = ModelBindingResult.Success(id);
            return Task.CompletedTask;
        }
    }
}
