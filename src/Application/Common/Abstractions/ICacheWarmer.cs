namespace RenderOwl.Application.Common.Abstractions;

/// <summary>Loads one kind of cached read by the id part of its key (<c>project:…</c> → the project): each module's reads offer it to the warm-up.</summary>
public interface ICacheWarmer
{
    /// <summary>The kind part of the keys this loads (<see cref="Caching.CacheKeys"/>).</summary>
    string Kind { get; }

    /// <summary>Loads the entry into the cache if the id is well formed; true when it exists.</summary>
    Task<bool> WarmAsync(string id, CancellationToken cancellationToken);
}
