using System.Linq.Expressions;
using RenderOwl.Application.Common.Pagination;
using RenderOwl.Domain.Common;
using RenderOwl.Domain.Identity;

namespace RenderOwl.Application.Identity.ApiKeys;

public sealed record ApiKeyResponse(ApiKeyId Id, string Name, ApiKeyMode Mode, string Prefix, DateTimeOffset CreatedAt, DateTimeOffset? LastUsedAt)
{
    public static readonly Expression<Func<ApiKey, ApiKeyResponse>> Projection =
        k => new ApiKeyResponse(k.Id, k.Name, k.Mode, k.Prefix, k.CreatedAt, k.LastUsedAt);

    internal static readonly Keyset<ApiKey> Keyset = Keysets.NewestFirst<ApiKey, ApiKeyId>(k => k.CreatedAt, k => k.Id, ApiKeyId.From);
}

/// <summary>The only time the full key is shown.</summary>
public sealed record ApiKeyCreatedResponse(ApiKeyId Id, string Name, ApiKeyMode Mode, string Prefix, string Key, DateTimeOffset CreatedAt);
