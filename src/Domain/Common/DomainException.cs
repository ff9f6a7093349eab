namespace RenderOwl.Domain.Common;

/// <summary>A rule of the domain was broken, e.g. an illegal state transition.</summary>
public sealed class DomainRuleException(string code, string message) : Exception(message)
{
    public string Code { get; } = code;
}
