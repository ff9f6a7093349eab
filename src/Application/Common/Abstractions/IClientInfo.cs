namespace RenderOwl.Application.Common.Abstractions;

/// <summary>Where the request comes from and what it asks, for per-IP limits and the record of refused requests.</summary>
public interface IClientInfo
{
    string IpAddress { get; }
    string Method { get; }
    string Path { get; }
}
