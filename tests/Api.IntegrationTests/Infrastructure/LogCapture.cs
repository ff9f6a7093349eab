using System.Collections.Concurrent;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;
using Serilog.Core;
using Serilog.Events;

namespace RenderOwl.Api.IntegrationTests.Infrastructure;

/// <summary>Collects every Serilog event of a host (the app reads sinks from DI through ReadFrom.Services).</summary>
public sealed class LogCapture : ILogEventSink
{
    public ConcurrentQueue<LogEvent> Events { get; } = new();

    public void Emit(LogEvent logEvent) => Events.Enqueue(logEvent);

    public static string? Property(LogEvent e, string name)
        => e.Properties.TryGetValue(name, out var value) && value is ScalarValue { Value: var v } ? v?.ToString() : null;

    public Microsoft.AspNetCore.Mvc.Testing.WebApplicationFactory<Program> Attach(Microsoft.AspNetCore.Mvc.Testing.WebApplicationFactory<Program> factory)
        => factory.WithWebHostBuilder(b =>
        {
            b.ConfigureTestServices(s => s.AddSingleton<ILogEventSink>(this));
        });
}
