using System.Security.Cryptography;

namespace RenderOwl.Application.Common.Abstractions;

/// <summary>
/// Names of stored objects. A key is 128 random bits under its kind and year — never derived from a public id —
/// so knowing an asset's or a render's id says nothing about where its file lies, and one mistake elsewhere
/// (a demuxer that follows a file name, a path in an error) cannot become a read of another account's file.
/// </summary>
public static class StorageKeys
{
    public static string New(string kind, DateTimeOffset now) => $"{kind}/{now:yyyy}/{RandomNumberGenerator.GetHexString(32, lowercase: true)}";
}
