namespace RenderOwl.Application.Common.Abstractions;

/// <summary>Counts reads per cache key (in memory, flushed in batches), so the warm-up knows the most-read keys of the last hour.</summary>
public interface ICacheReadLog
{
    void Record(string key);

    /// <summary>The most-read keys of the last hour across every instance, most read first.</summary>
    Task<IReadOnlyList<string>> MostReadAsync(int count, CancellationToken cancellationToken);
}
