namespace RenderOwl.Application.Common.Abstractions;

/// <summary>Failed logins per e-mail and IP address (brute-force protection).</summary>
public interface ILoginThrottle
{
    /// <summary>Null when a login may be tried; else how long to wait.</summary>
    Task<TimeSpan?> BlockedForAsync(string email, string ipAddress, CancellationToken cancellationToken);
    Task RecordFailureAsync(string email, string ipAddress, CancellationToken cancellationToken);
    Task ResetAsync(string email, string ipAddress, CancellationToken cancellationToken);
}
