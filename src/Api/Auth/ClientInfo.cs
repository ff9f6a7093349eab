using RenderOwl.Application.Common.Abstractions;

namespace RenderOwl.Api.Auth;

public sealed class ClientInfo(IHttpContextAccessor accessor) : IClientInfo
{
    public string IpAddress => Address(accessor.HttpContext);
    public string Method => accessor.HttpContext?.Request.Method ?? "";
    public string Path => accessor.HttpContext?.Request.Path.Value ?? "/";

    public static string Address(HttpContext? http) => http?.Connection.RemoteIpAddress?.ToString() ?? "unknown";
}
