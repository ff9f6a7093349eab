using RenderOwl.Domain.Common;

namespace RenderOwl.Application.Common.Caching;

/// <summary>A cached representation with the account that owns it: the reader checks the owner, so one entry serves the owner and refuses everyone else.</summary>
public sealed record Owned<T>(T Value, UserId OwnerId);
