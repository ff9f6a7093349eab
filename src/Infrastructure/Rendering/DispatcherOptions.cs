using System.ComponentModel.DataAnnotations;

namespace RenderOwl.Infrastructure.Rendering;

public sealed class DispatcherOptions
{
    public const string Section = "Rendering:Dispatcher";
    /// <summary>Renders this worker runs at once (default: one per core).</summary>
    [Range(1, 256)]
    public int Slots { get; set; } = Environment.ProcessorCount;
    [Range(0.5, 3600)]
    public double LeaseSeconds { get; set; } = 30;
    /// <summary>Progress is written at most this often per render; the lease is renewed on the same beat.</summary>
    [Range(10, 60_000)]
    public int ProgressIntervalMs { get; set; } = 500;
    /// <summary>Claims are also tried this often, in case a notification was missed.</summary>
    [Range(0.05, 3600)]
    public double PollSeconds { get; set; } = 2;
    /// <summary>On shutdown, running renders get this long to finish before they are released back to the queue.</summary>
    [Range(0, 3600)]
    public double ShutdownGraceSeconds { get; set; } = 20;
}
