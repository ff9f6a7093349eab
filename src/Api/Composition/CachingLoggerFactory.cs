using System.Collections.Concurrent;

namespace RenderOwl.Api.Composition;

/// <summary>
/// Serilog's logger factory makes a new logger (and a Serilog context logger under it) on every CreateLogger call;
/// Microsoft's own factory keeps one per category. Authentication handlers are made per request and each asks the
/// factory for its logger, so an authenticated request built two loggers for nothing (5.6 % of a cached read's
/// allocations — docs/benchmarks.md). This keeps one per category, as Microsoft's factory does.
/// </summary>
public sealed class CachingLoggerFactory(ILoggerFactory inner) : ILoggerFactory
{
    private readonly ConcurrentDictionary<string, ILogger> _loggers = new(StringComparer.Ordinal);

    public ILogger CreateLogger(string categoryName) => _loggers.GetOrAdd(categoryName, inner.CreateLogger);

    public void AddProvider(ILoggerProvider provider)
    {
        inner.AddProvider(provider);
        _loggers.Clear(); // a logger made before knows only the providers it was made with
    }

    public void Dispose() => inner.Dispose();

    /// <summary>Wraps the registered <see cref="ILoggerFactory"/> (call after the logging provider has registered it).</summary>
    public static void Decorate(IServiceCollection services)
    {
        var registered = services.LastOrDefault(d => d.ServiceType == typeof(ILoggerFactory))
            ?? throw new InvalidOperationException("No ILoggerFactory is registered to wrap.");
        services.Remove(registered);
        services.AddSingleton<ILoggerFactory>(sp => new CachingLoggerFactory(registered switch
        {
            { ImplementationInstance: ILoggerFactory instance } => instance,
            { ImplementationFactory: { } factory } => (ILoggerFactory)factory(sp),
            _ => (ILoggerFactory)ActivatorUtilities.CreateInstance(sp, registered.ImplementationType!),
        }));
    }
}
