using BenchmarkDotNet.Running;

BenchmarkSwitcher.FromAssembly(typeof(RenderOwl.Benchmarks.EngineBenchmarks).Assembly).Run(args);
