using System.ComponentModel.DataAnnotations;

namespace RenderOwl.Infrastructure.Networking;

public sealed class FetchOptions
{
    public const string Section = "Fetch";
    /// <summary>Development and tests only: allow private and loopback targets. Off by default.</summary>
    public bool AllowPrivateTargets { get; set; }
    /// <summary>Exact <c>ip:port</c> endpoints allowed even though private (a test's own loopback server).</summary>
    public string[] AllowedEndpoints { get; set; } = [];
    [Range(0, 20)]
    public int MaxRedirects { get; set; } = 3;
    [Range(1, 3600)]
    public int HeadersTimeoutSeconds { get; set; } = 10;
    [Range(1, 86_400)]
    public int TotalTimeoutSeconds { get; set; } = 300;
}
