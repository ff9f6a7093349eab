using System.ComponentModel.DataAnnotations;

namespace RenderOwl.Api.Http;

public sealed class ShutdownOptions
{
    public const string Section = "Shutdown";

    /// <summary>
    /// Seconds an API instance keeps serving after SIGTERM while /ready says 503, so a load balancer or
    /// Kubernetes takes it out of rotation before it stops accepting. Default 5 outside Development, 0 in it.
    /// </summary>
    [Range(0, 300)]
    public double? DrainSeconds { get; set; }
}
