using BenchmarkDotNet.Running;
using RenderOwl.Benchmarks;

if (args is ["pickup", var baseUrl, ..])
{
    return await PickupLatency.RunAsync(baseUrl, args.Length > 2 ? int.Parse(args[2], System.Globalization.CultureInfo.InvariantCulture) : 100);
}
BenchmarkSwitcher.FromAssembly(typeof(EngineBenchmarks).Assembly).Run(args);
return 0;
