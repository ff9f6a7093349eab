namespace RenderOwl.Application.Common;

/// <summary>A whole, unpaged list: <c>{"items": [...]}</c>.</summary>
public sealed record ItemList<T>(IReadOnlyList<T> Items);
