using RenderOwl.LoadTest;

// The load-test tool (make load-test ARGS="…"): closed-loop like wrk, or open-loop at a constant arrival rate.
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
