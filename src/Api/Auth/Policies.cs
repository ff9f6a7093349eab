namespace RenderOwl.Api.Auth;

public static class Policies
{
    /// <summary>Admin-only routes (<c>/internal/*</c>, <c>/hangfire</c>, <c>/metrics</c> when <c>Metrics:RequireAdmin</c>).</summary>
    public const string Admin = "admin";
}
