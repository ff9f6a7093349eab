namespace RenderOwl.Application.Common.Abstractions;

public interface IPasswordHasher
{
    string Hash(string password);
    /// <summary>True when <paramref name="password"/> matches; <paramref name="needsRehash"/> when the hash uses old parameters.</summary>
    bool Verify(string hash, string password, out bool needsRehash);
}
