namespace RenderOwl.Application.Common.Abstractions;

/// <summary>A stored file as a download: where it is, its type, its SHA-256 (the ETag), the name it is saved under, when it last changed.</summary>
public sealed record Download(string StorageKey, string ContentType, string Sha256, string FileName, DateTimeOffset LastModified);
