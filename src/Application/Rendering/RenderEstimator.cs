using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using RenderOwl.Application.Common.Abstractions;
using RenderOwl.Domain.Rendering;

namespace RenderOwl.Application.Rendering;

/// <summary>
/// Estimates a render's time and size from this installation's last 500 rendered (not memoized) succeeded renders:
/// render seconds as a fixed cost per render plus a cost in proportion to work = duration × megapixels × fps × (1 + layers)
/// (least squares with an intercept: starting ffmpeg, probing and storing cost the same for a 1 s and a 60 s render),
/// output bytes as a fixed size (container, headers) plus an amount per megapixel-frame, for the same format and quality.
/// Refitted at most every minute; until 10 renders have finished, defaults measured on the development machine (2 cores).
/// </summary>
public sealed class RenderEstimator(IServiceScopeFactory scopes, TimeProvider clock) : IRenderEstimator
{
    /// <summary>Seconds per unit of work, and bytes per megapixel-frame-second, on this project's 2-core machine (the 30 s social video).</summary>
    public const double DefaultSecondsPerWork = 0.0021;
    public const double DefaultBytesPerFrameMegapixel = 4300;
    public const double DefaultFixedSeconds = 0.3;
    private const int MinSamples = 10;

    private readonly SemaphoreSlim _gate = new(1, 1);
    private Model? _model;
    private DateTimeOffset _fittedAt;

    public async Task<RenderEstimate> EstimateAsync(Composition resolved, OutputSettings output, CancellationToken cancellationToken)
    {
        var model = await ModelAsync(cancellationToken);
        var (width, height) = output.EncodedSize;
        var frames = output.OutputSeconds(resolved.Seconds) * width * height / 1e6 * output.RenderFps;
        var seconds = model.FixedSeconds + (model.SecondsPerWork * frames * (1 + resolved.Layers.Count));
        var (fixedBytes, perFrame) = model.Bytes.GetValueOrDefault((output.Format, output.Quality), model.AnyBytes);
        var bytes = fixedBytes + (perFrame * frames);
        return new RenderEstimate(Math.Round(Math.Max(0.1, seconds), 1), (long)Math.Max(1024, bytes));
    }

    private async Task<Model> ModelAsync(CancellationToken cancellationToken)
    {
        if (_model is { } fresh && clock.GetUtcNow() - _fittedAt < TimeSpan.FromMinutes(1))
        {
            return fresh;
        }
        await _gate.WaitAsync(cancellationToken);
        try
        {
            if (_model is null || clock.GetUtcNow() - _fittedAt >= TimeSpan.FromMinutes(1))
            {
                _model = await FitAsync(cancellationToken);
                _fittedAt = clock.GetUtcNow();
            }
            return _model;
        }
        finally
        {
            _gate.Release();
        }
    }

    private async Task<Model> FitAsync(CancellationToken cancellationToken)
    {
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<IReadDbContext>();
        var rows = await db.Renders.AsNoTracking()
            .Where(r => r.Status == RenderStatus.Succeeded && r.RunMs != null && r.Output != null && !r.Cached)
            .OrderByDescending(r => r.FinishedAt).Take(500)
            .Select(r => new { r.Output!.DurationSeconds, r.Output.SizeBytes, r.Settings, r.RunMs, r.CompositionJson })
            .ToListAsync(cancellationToken);
        if (rows.Count < MinSamples)
        {
            return new Model(DefaultFixedSeconds, DefaultSecondsPerWork, new Dictionary<(OutputFormat, Quality), (double, double)>(), (0, DefaultBytesPerFrameMegapixel));
        }
        var samples = rows.Select(r => (Frames: r.DurationSeconds * r.Settings.EncodedSize.Width * r.Settings.EncodedSize.Height / 1e6 * r.Settings.RenderFps,
                Layers: Layers(r.CompositionJson), r.RunMs, r.SizeBytes, r.Settings.Format, r.Settings.Quality))
            .Where(s => s.Frames > 0).ToList();
        var (fixedSeconds, secondsPerWork) = Line(samples.Select(s => (s.Frames * (1 + s.Layers), s.RunMs!.Value / 1000.0)).ToList());
        var bytes = samples.GroupBy(s => (s.Format, s.Quality)).Where(g => g.Count() >= 3)
            .ToDictionary(g => (g.Key.Format, g.Key.Quality), g => Line(g.Select(s => (s.Frames, (double)s.SizeBytes)).ToList()));
        return new Model(fixedSeconds, secondsPerWork, bytes, Line(samples.Select(s => (s.Frames, (double)s.SizeBytes)).ToList()));
    }

    private static int Layers(string compositionJson)
    {
        using var document = JsonDocument.Parse(compositionJson);
        return document.RootElement.TryGetProperty("layers", out var layers) && layers.ValueKind == JsonValueKind.Array ? layers.GetArrayLength() : 0;
    }

    /// <summary>Least squares through the origin: Σxy / Σx².</summary>
    private static double Slope(IEnumerable<(double X, double Y)> points)
    {
        double xy = 0, xx = 0;
        foreach (var (x, y) in points)
        {
            (xy, xx) = (xy + (x * y), xx + (x * x));
        }
        return xx > 0 ? xy / xx : 0;
    }

    /// <summary>Ordinary least squares y = a + b·x, with a and b kept at zero or more (a negative fixed cost means too few small renders).</summary>
    private static (double A, double B) Line(List<(double X, double Y)> points)
    {
        var n = points.Count;
        var (mx, my) = (points.Average(p => p.X), points.Average(p => p.Y));
        var (sxy, sxx) = (points.Sum(p => (p.X - mx) * (p.Y - my)), points.Sum(p => (p.X - mx) * (p.X - mx)));
        if (n < 2 || sxx <= 0)
        {
            return (0, Slope(points));
        }
        var b = sxy / sxx;
        var a = my - (b * mx);
        return a < 0 || b < 0 ? (0, Slope(points)) : (a, b);
    }

    /// <summary>Seconds = fixed + per work unit; bytes = fixed + per megapixel-frame, by format and quality (else over all).</summary>
    private sealed record Model(double FixedSeconds, double SecondsPerWork, IReadOnlyDictionary<(OutputFormat, Quality), (double Fixed, double PerFrame)> Bytes,
        (double Fixed, double PerFrame) AnyBytes);
}
