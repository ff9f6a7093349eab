using RenderOwl.Application.Common.Abstractions;

namespace RenderOwl.Infrastructure.Monitoring;

/// <summary>Host, process id and a random tag (two hosts in one process, as in tests, stay apart).</summary>
public sealed class InstanceName : IInstanceName
{
    public string Value { get; } = $"{Environment.MachineName}:{Environment.ProcessId}:{Guid.NewGuid().ToString("N")[..6]}";
}
