namespace RenderOwl.Application.Common.Pagination;

public sealed record PageRequest(int PageSize, int? Page, string? Cursor)
{
    public const int DefaultPageSize = 20;
    public const int MaxPageSize = 100;
    /// <summary>Offset pages are allowed while (page-1)*page_size is below this.</summary>
    public const int MaxOffset = 1000;
}

public sealed record PageMetadata(
    string Strategy,
    int PageSize,
    bool HasNext,
    bool HasPrev,
    string? NextCursor,
    int? Page,
    long? Total,
    int? TotalPages)
{
    /// <summary>
    /// Offset pages: true when <see cref="Total"/> was counted for this request; false past
    /// <see cref="Paginator.ExactCountCap"/> rows, where it is a count up to a few minutes old (null on cursor pages).
    /// </summary>
    public bool? TotalExact { get; init; }
}

public sealed record Page<T>(IReadOnlyList<T> Items, PageMetadata Metadata)
{
    /// <summary>The same page with each item mapped (rows read in SQL, turned into responses in memory).</summary>
    public Page<TOut> Map<TOut>(Func<T, TOut> map) => new(Items.Select(map).ToList(), Metadata);
}
