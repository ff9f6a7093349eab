using RenderOwl.LoadTest;

// The load-test tool (make load-test ARGS="…"): closed-loop like wrk, or open-loop at a constant arrival rate.
// Socket completions run their continuations on the two socket event threads, as wrk's two threads do, instead of
// queueing each to the thread pool: nothing in the tool blocks, and the hand-off was the tool's largest cost (ADR 26).
// Read once, when the first socket is made; a value set in the environment wins.
foreach (var (name, value) in new[] { ("DOTNET_SYSTEM_NET_SOCKETS_INLINE_COMPLETIONS", "1"), ("DOTNET_SYSTEM_NET_SOCKETS_THREAD_COUNT", "2") })
{
    if (Environment.GetEnvironmentVariable(name) is null)
    {
        Environment.SetEnvironmentVariable(name, value);
    }
}
LoadOptions options;
try
{
    if (args.Length == 0 || args.Contains("--help"))
    {
        Console.WriteLine(LoadOptions.Usage);
        return args.Length == 0 ? 2 : 0;
    }
    options = LoadOptions.Parse(args);
}
catch (Exception ex) when (ex is ArgumentException or IOException)
{
    Console.Error.WriteLine(ex.Message);
    Console.Error.WriteLine(LoadOptions.Usage);
    return 2;
}
using var interrupt = new CancellationTokenSource();
Console.CancelKeyPress += (_, e) => { e.Cancel = true; interrupt.Cancel(); };
var report = await new LoadRunner(options, options.Progress ? Console.Error : null).RunAsync(interrupt.Token);
Console.WriteLine(options.Json ? report.ToJson() : report.ToText());
return report.Rating == "red" ? 1 : 0;
