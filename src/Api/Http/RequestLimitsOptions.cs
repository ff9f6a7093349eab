using System.ComponentModel.DataAnnotations;

namespace RenderOwl.Api.Http;

public sealed class RequestLimitsOptions
{
    public const string Section = "RequestLimits";
    [Range(256, 65_536)]
    public int MaxUrlLength { get; set; } = 2048;
    [Range(1024, 1_048_576)]
    public int MaxHeadersBytes { get; set; } = 8 * 1024;
    [Range(1024, long.MaxValue)]
    public long MaxBodyBytes { get; set; } = 10 * 1024 * 1024;
}
