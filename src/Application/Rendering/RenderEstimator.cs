using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using RenderOwl.Application.Common.Abstractions;
using RenderOwl.Domain.Rendering;

namespace RenderOwl.Application.Rendering;

/// <summary>
/// Estimates a render's time and size from this installation's last 500 succeeded renders: render seconds in
/// proportion to work = duration × megapixels × fps × (1 + layers), output bytes to duration × megapixels × fps for the
/// same format and quality (least squares through the origin). Refitted at most every 5 minutes; until 10 renders
/// have finished, defaults measured on the development machine (2 cores) are used.
/// </summary>
public sealed class RenderEstimator(IServiceScopeFactory scopes, TimeProvider clock) : IRenderEstimator
{
    /// <summary>Seconds per unit of work, and bytes per megapixel-frame-second, on this project's 2-core machine (the 30 s social video).</summary>
    public const double DefaultSecondsPerWork = 0.0021;
    public const double DefaultBytesPerFrameMegapixel = 4300;
    private const int MinSamples = 10;

    private readonly SemaphoreSlim _gate = new(1, 1);
    private Model? _model;
    private DateTimeOffset _fittedAt;

    public async Task<RenderEstimate> EstimateAsync(Composition resolved, OutputSettings output, CancellationToken cancellationToken)
    {
        var model = await ModelAsync(cancellationToken);
        var frames = resolved.Seconds * output.Width * output.Height / 1e6 * output.Fps;
        var seconds = model.SecondsPerWork * frames * (1 + resolved.Layers.Count);
        var bytes = model.BytesPerFrameMegapixel.GetValueOrDefault((output.Format, output.Quality), model.AnyBytesPerFrameMegapixel) * frames;
        return new RenderEstimate(Math.Round(Math.Max(0.1, seconds), 1), (long)Math.Max(1024, bytes));
    }

    private async Task<Model> ModelAsync(CancellationToken cancellationToken)
    {
        if (_model is { } fresh && clock.GetUtcNow() - _fittedAt < TimeSpan.FromMinutes(5))
        {
            return fresh;
        }
        await _gate.WaitAsync(cancellationToken);
        try
        {
            if (_model is null || clock.GetUtcNow() - _fittedAt >= TimeSpan.FromMinutes(5))
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
            .Where(r => r.Status == RenderStatus.Succeeded && r.RunMs != null && r.Output != null)
            .OrderByDescending(r => r.FinishedAt).Take(500)
            .Select(r => new { r.Output!.DurationSeconds, r.Output.SizeBytes, r.Settings.Width, r.Settings.Height, r.Settings.Fps, r.Settings.Format, r.Settings.Quality, r.RunMs, r.CompositionJson })
            .ToListAsync(cancellationToken);
        if (rows.Count < MinSamples)
        {
            return new Model(DefaultSecondsPerWork, new Dictionary<(OutputFormat, Quality), double>(), DefaultBytesPerFrameMegapixel);
        }
        var samples = rows.Select(r => (Frames: r.DurationSeconds * r.Width * r.Height / 1e6 * r.Fps, Layers: Layers(r.CompositionJson), r.RunMs, r.SizeBytes, r.Format, r.Quality))
            .Where(s => s.Frames > 0).ToList();
        var secondsPerWork = Slope(samples.Select(s => (s.Frames * (1 + s.Layers), s.RunMs!.Value / 1000.0)));
        var bytes = samples.GroupBy(s => (s.Format, s.Quality)).Where(g => g.Count() >= 3)
            .ToDictionary(g => (g.Key.Format, g.Key.Quality), g => Slope(g.Select(s => (s.Frames, (double)s.SizeBytes))));
        return new Model(secondsPerWork, bytes, Slope(samples.Select(s => (s.Frames, (double)s.SizeBytes))));
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

    private sealed record Model(double SecondsPerWork, IReadOnlyDictionary<(OutputFormat, Quality), double> BytesPerFrameMegapixel, double AnyBytesPerFrameMegapixel);
}
