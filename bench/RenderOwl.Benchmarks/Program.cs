using BenchmarkDotNet.Running;

namespace RenderOwl.Benchmarks;

internal static class BenchMain
{
    /// <summary>
    /// <c>pickup &lt;url&gt; [n]</c> · <c>cancel [n]</c> · <c>social [runs]</c> · <c>formats [runs]</c> · <c>memo &lt;url&gt; [n]</c> · <c>estimate &lt;url&gt; [n]</c> · <c>segments &lt;url&gt; [runs]</c> · <c>webhooks &lt;url&gt; [n]</c> · <c>webhooks-throughput &lt;url&gt; &lt;primary&gt; [n]</c> · <c>data &lt;server connection string&gt; ingest|rollup|delete|export</c> · <c>throughput &lt;server connection string&gt; [n] [workers] [accounts] [--dispatcher-only]</c> · otherwise BenchmarkDotNet (e.g. <c>--filter '*EngineBenchmarks*'</c>).
    /// </summary>
    public static async Task<int> Main(string[] args)
    {
        if (args is ["pickup", var baseUrl, ..])
        {
            return await PickupLatency.RunAsync(baseUrl, args.Length > 2 ? int.Parse(args[2], System.Globalization.CultureInfo.InvariantCulture) : 100);
        }
        if (args is ["memo", var memoUrl, ..])
        {
            return await PickupLatency.MemoAsync(memoUrl, args.Length > 2 ? int.Parse(args[2], System.Globalization.CultureInfo.InvariantCulture) : 200);
        }
        if (args is ["segments", var segmentsUrl, ..])
        {
            return await SegmentSpeedup.RunAsync(segmentsUrl, args.Length > 2 ? int.Parse(args[2], System.Globalization.CultureInfo.InvariantCulture) : 2);
        }
        if (args is ["estimate", var estimateUrl, ..])
        {
            return await EstimateAccuracy.RunAsync(estimateUrl, args.Length > 2 ? int.Parse(args[2], System.Globalization.CultureInfo.InvariantCulture) : 40);
        }
        if (args is ["formats", ..])
        {
            return await Social.FormatsAsync(args.Length > 1 ? int.Parse(args[1], System.Globalization.CultureInfo.InvariantCulture) : 3);
        }
        if (args is ["throughput", var server, ..])
        {
            var n = args.Length > 2 ? int.Parse(args[2], System.Globalization.CultureInfo.InvariantCulture) : 2000;
            var w = args.Length > 3 ? int.Parse(args[3], System.Globalization.CultureInfo.InvariantCulture) : 8;
            var accounts = args.Length > 4 ? int.Parse(args[4], System.Globalization.CultureInfo.InvariantCulture) : 10;
            return await DispatcherThroughput.RunAsync(server, n, w, accounts, dispatcherOnly: args.Contains("--dispatcher-only"));
        }
        if (args is ["webhooks", var hooksUrl, ..])
        {
            return await WebhookLatency.RunAsync(hooksUrl, args.Length > 2 ? int.Parse(args[2], System.Globalization.CultureInfo.InvariantCulture) : 50);
        }
        if (args is ["webhooks-throughput", var throughputUrl, var throughputDb, ..])
        {
            return await WebhookThroughput.RunAsync(throughputUrl, throughputDb, args.Length > 3 ? int.Parse(args[3], System.Globalization.CultureInfo.InvariantCulture) : 1000);
        }
        if (args is ["data", var dataServer, var part])
        {
            return await DataLifecycle.RunAsync(dataServer, part);
        }
        if (args is ["cancel", ..])
        {
            return await CancelLatency.RunAsync(args.Length > 1 ? int.Parse(args[1], System.Globalization.CultureInfo.InvariantCulture) : 10);
        }
        if (args is ["social", ..])
        {
            return await Social.RunAsync(args.Length > 1 ? int.Parse(args[1], System.Globalization.CultureInfo.InvariantCulture) : 3, args.Length > 2 ? args[2] : null);
        }
        BenchmarkSwitcher.FromAssembly(typeof(EngineBenchmarks).Assembly).Run(args);
        return 0;
    }
}
