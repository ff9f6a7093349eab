using System.Collections.Concurrent;
using System.Diagnostics;

namespace RenderOwl.Api.IntegrationTests.Infrastructure;

/// <summary>
/// Every command Npgsql sends while this is alive (one round trip each; an EF batch is one command), as the
/// "Npgsql" activities see it: the request trace it belongs to, its SQL text and the server port it went to.
/// </summary>
public sealed class DbCommandTrace : IDisposable
{
    public sealed record Command(ActivityTraceId Trace, string Text, int? Port);

    private readonly ConcurrentQueue<Command> _commands = new();
    private readonly ActivityListener _listener;

    public DbCommandTrace()
    {
        _listener = new ActivityListener
        {
            ShouldListenTo = source => source.Name == "Npgsql",
            Sample = (ref ActivityCreationOptions<ActivityContext> _) => ActivitySamplingResult.AllDataAndRecorded,
            ActivityStopped = a =>
            {
                var text = a.GetTagItem("db.query.text") as string ?? a.GetTagItem("db.statement") as string ?? a.DisplayName;
                var port = a.TagObjects.Where(t => t.Key.EndsWith(".port", StringComparison.Ordinal))
                    .Select(t => int.TryParse(t.Value?.ToString(), out var p) ? p : (int?)null).FirstOrDefault(p => p is not null);
                _commands.Enqueue(new Command(a.TraceId, text, port));
            },
        };
        ActivitySource.AddActivityListener(_listener);
    }

    /// <summary>The commands of the request that produced <paramref name="response"/> (by its X-Trace-Id).</summary>
    public List<Command> Of(HttpResponseMessage response)
    {
        var trace = ActivityTraceId.CreateFromString(response.Headers.GetValues("X-Trace-Id").Single());
        return _commands.Where(c => c.Trace == trace).ToList();
    }

    public void Dispose() => _listener.Dispose();
}
