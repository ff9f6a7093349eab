namespace RenderOwl.Api.Auth;

public static class Policies
{
    /// <summary>Admin-only routes (<c>/internal/*</c>, <c>/hangfire</c>, <c>/metrics</c> when <c>Metrics:RequireAdmin</c>).</summary>
    public const string Admin = "admin";

    /// <summary>The jobs dashboard: an admin signed in through <c>/hangfire/login</c> (the dashboard cookie, nothing else).</summary>
    public const string Dashboard = "dashboard";

    /// <summary>The dashboard's cookie scheme; its cookie is scoped to <c>/hangfire</c>, so the API never receives it.</summary>
    public const string DashboardScheme = "DashboardCookie";
}
