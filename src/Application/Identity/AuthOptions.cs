using System.ComponentModel.DataAnnotations;

namespace RenderOwl.Application.Identity;

public sealed class AuthOptions
{
    public const string Section = "Auth";

    /// <summary>How old a session's sign-in may be for actions that hand out or take away lasting access (API keys, account deletion).</summary>
    [Range(0, 1440)]
    public int ReauthMaxAgeMinutes { get; set; } = 10;
}
