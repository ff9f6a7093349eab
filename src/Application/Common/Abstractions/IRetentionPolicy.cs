namespace RenderOwl.Application.Common.Abstractions;

/// <summary>
/// One kind of data that is deleted once it is old enough, owned by its module (each registers its own). Deletes in
/// chunks of <see cref="ChunkSize"/> rows, each its own statement, so no run holds locks on many rows or grows the WAL in one go.
/// </summary>
public interface IRetentionPolicy
{
    public const int ChunkSize = 1_000;

    /// <summary>What <c>db cleanup</c> and the logs call it, e.g. <c>notifications</c>.</summary>
    string Name { get; }

    /// <summary>Deletes what is due at <paramref name="now"/>; returns how many rows went.</summary>
    Task<int> ApplyAsync(DateTimeOffset now, CancellationToken cancellationToken);
}
