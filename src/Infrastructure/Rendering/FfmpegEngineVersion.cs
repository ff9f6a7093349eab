using Microsoft.Extensions.Options;
using RenderOwl.Application.Rendering;
using RenderOwl.Infrastructure.Media;

namespace RenderOwl.Infrastructure.Rendering;

/// <summary>ffmpeg's version (<c>ffmpeg version 5.1.9-0+deb12u1</c> → <c>5.1.9-0+deb12u1</c>), asked once per process and path.</summary>
public sealed class FfmpegEngineVersion(IOptions<RenderingOptions> options) : IEngineVersion
{
    private static readonly System.Collections.Concurrent.ConcurrentDictionary<string, string> Known = new(StringComparer.Ordinal);

    public Task<string> GetAsync(CancellationToken cancellationToken) => GetAsync(options.Value.FfmpegPath, cancellationToken);

    public static async Task<string> GetAsync(string ffmpeg, CancellationToken cancellationToken)
    {
        if (Known.TryGetValue(ffmpeg, out var known))
        {
            return known;
        }
        var result = await ProcessRunner.RunAsync(ffmpeg, ["-hide_banner", "-version"], TimeSpan.FromSeconds(10), cancellationToken);
        var first = result.StandardOutput.Split('\n', 2)[0].Trim();
        var version = first.StartsWith("ffmpeg version ", StringComparison.Ordinal) ? first["ffmpeg version ".Length..].Split(' ')[0] : first;
        return Known.GetOrAdd(ffmpeg, version);
    }
}
