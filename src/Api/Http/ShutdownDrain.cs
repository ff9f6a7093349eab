namespace RenderOwl.Api.Http;

/// <summary>
/// The first step of stopping an instance that serves the API: on SIGTERM the host calls
/// <see cref="StoppingAsync"/> before it stops anything, so during the drain the server still accepts and
/// answers — <c>/ready</c> with 503, everything else as usual but with <c>Connection: close</c>, so that
/// keep-alive clients reconnect elsewhere. Then Kestrel stops accepting and finishes every request in
/// flight (within the host's shutdown timeout, which is set to the drain plus 30 s). The worker role does
/// not drain: it keeps its release-on-SIGTERM behaviour.
/// </summary>
public sealed class ShutdownDrain(TimeSpan drain, ILogger<ShutdownDrain> logger) : IHostedLifecycleService
{
    private volatile bool _draining;

    public bool Draining => _draining;

    public TimeSpan Drain => drain;

    public static TimeSpan For(ShutdownOptions options, IHostEnvironment environment, ServerRole role)
        => role.Name == "worker" ? TimeSpan.Zero : TimeSpan.FromSeconds(Math.Max(0, options.DrainSeconds ?? (environment.IsDevelopment() ? 0 : 5)));

    public async Task StoppingAsync(CancellationToken cancellationToken)
    {
        if (drain <= TimeSpan.Zero)
        {
            return;
        }
        _draining = true;
        logger.LogInformation("Stopping: draining for {Seconds} s (/ready answers 503, responses close their connections)", drain.TotalSeconds);
        try
        {
            await Task.Delay(drain, cancellationToken);
        }
        catch (OperationCanceledException)
        {
        }
    }

    public Task StartingAsync(CancellationToken cancellationToken) => Task.CompletedTask;
    public Task StartAsync(CancellationToken cancellationToken) => Task.CompletedTask;
    public Task StartedAsync(CancellationToken cancellationToken) => Task.CompletedTask;
    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
    public Task StoppedAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}

/// <summary>While the instance drains, every response asks the client to close its connection.</summary>
public sealed class DrainMiddleware(RequestDelegate next, ShutdownDrain drain)
{
    public Task InvokeAsync(HttpContext http)
    {
        if (drain.Draining)
        {
            http.Response.Headers.Connection = "close";
        }
        else
        {
            http.Response.OnStarting(() =>
            {
                if (drain.Draining)
                {
                    http.Response.Headers.Connection = "close";
                }
                return Task.CompletedTask;
            });
        }
        return next(http);
    }
}
