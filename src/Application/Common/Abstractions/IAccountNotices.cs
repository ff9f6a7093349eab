using RenderOwl.Domain.Common;

namespace RenderOwl.Application.Common.Abstractions;

/// <summary>Notifications, for the other modules: tell an account something (in-app), in the caller's transaction.</summary>
public interface IAccountNotices
{
    Task NotifyAsync(UserId account, string type, string title, string? body, string dataJson, DateTimeOffset now, CancellationToken cancellationToken);
}
