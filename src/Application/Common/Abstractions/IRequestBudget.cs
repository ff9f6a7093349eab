namespace RenderOwl.Application.Common.Abstractions;

/// <summary>The caller's request rate limit as the current request left it: bucket size, tokens left, when it is full again.</summary>
public sealed record RequestBudget(int Burst, int Remaining, DateTimeOffset FullAt);

/// <summary>The rate-limit decision taken for this request (<c>GET /v1/me</c> reports it); null when none was taken.</summary>
public interface IRequestBudget
{
    RequestBudget? Current { get; }
}
