namespace RenderOwl.Domain.Common;

public static class Clock
{
    /// <summary>PostgreSQL keeps microseconds; truncating here makes what we return equal what we store.</summary>
    public static DateTimeOffset ToStoragePrecision(DateTimeOffset value)
        => new(value.UtcTicks - (value.UtcTicks % 10), TimeSpan.Zero);
}
