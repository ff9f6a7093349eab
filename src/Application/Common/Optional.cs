namespace RenderOwl.Application.Common;

/// <summary>A PATCH field: absent (leave as is) or present with a value, which may be null (clear).</summary>
public readonly record struct Optional<T>(bool IsSet, T Value)
{
    public static Optional<T> Unset => default;
    public static Optional<T> Of(T value) => new(true, value);
}
