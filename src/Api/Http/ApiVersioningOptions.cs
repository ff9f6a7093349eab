using System.ComponentModel.DataAnnotations;

namespace RenderOwl.Api.Http;

public sealed class ApiVersioningOptions
{
    public const string Section = "ApiVersioning";
    [Range(1, 1000)]
    public int Current { get; set; } = 1;
    [MinLength(1)]
    public int[] Supported { get; set; } = [1];
    /// <summary>Versions marked deprecated, by number: when, until when (Sunset) and where to read about it.</summary>
    public Dictionary<string, DeprecationPolicy> Deprecated { get; set; } = [];
}
