using System.Diagnostics;
using Microsoft.Extensions.Logging.Abstractions;
using RenderOwl.Application.Rendering;
using RenderOwl.Domain.Rendering;
using RenderOwl.Infrastructure.Media;
using RenderOwl.Infrastructure.Rendering;
using RenderOwl.Infrastructure.Storage;

namespace RenderOwl.Benchmarks;

/// <summary>
/// How long the engine takes to stop a running render once it is cancelled (ffmpeg's process tree killed, scratch
/// files gone, the call returned): a 600 s 1280×720 webm, cancelled as soon as it reports progress. The API
/// promises a running render stops within about 2 s; the tests check that it stops, this measures how fast.
/// </summary>
public static class CancelLatency
{
    public static async Task<int> RunAsync(int runs)
    {
        var folder = Directory.CreateTempSubdirectory("renderowl-cancel-").FullName;
        try
        {
            var storage = new LocalObjectStorage(Path.Combine(folder, "storage"));
            var engine = new FfmpegRenderEngine(storage, new MediaInspector(Microsoft.Extensions.Options.Options.Create(new MediaOptions())),
                Microsoft.Extensions.Options.Options.Create(new RenderingOptions()), NullLogger<FfmpegRenderEngine>.Instance);
            var job = new RenderJob(new Composition(600, "#000000", [new Layer { Type = LayerType.Text, Text = "long", Start = 0 }]),
                new OutputSettings(OutputFormat.Webm, 1280, 720, 30, Quality.High), new Dictionary<Domain.Common.AssetId, Application.Common.Media.MediaFile>(), false);
            var times = new List<double>();
            for (var i = 0; i < runs; i++)
            {
                using var cts = new CancellationTokenSource();
                var started = new TaskCompletionSource();
                var render = engine.RenderAsync(job, new Progress<double>(p => { if (p > 0) { started.TrySetResult(); } }), cts.Token);
                await started.Task.WaitAsync(TimeSpan.FromSeconds(60));
                var clock = Stopwatch.StartNew();
                await cts.CancelAsync();
                try
                {
                    await render;
                }
                catch (OperationCanceledException)
                {
                }
                times.Add(clock.Elapsed.TotalMilliseconds);
            }
            times.Sort();
            Console.WriteLine($"cancel → stopped, {runs} runs: p50 {times[times.Count / 2]:0} ms, max {times[^1]:0} ms, min {times[0]:0} ms");
            return 0;
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }
}
