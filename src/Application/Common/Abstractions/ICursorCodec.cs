namespace RenderOwl.Application.Common.Abstractions;

/// <summary>Opaque, tamper-evident cursors for keyset pagination.</summary>
public interface ICursorCodec
{
    string Encode(DateTimeOffset createdAt, Guid id);
    bool TryDecode(string cursor, out DateTimeOffset createdAt, out Guid id);
}
