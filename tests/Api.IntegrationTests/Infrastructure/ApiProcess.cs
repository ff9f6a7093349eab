using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net;
using System.Net.Sockets;

namespace RenderOwl.Api.IntegrationTests.Infrastructure;

/// <summary>The built API as a process of its own (for what only a real process shows: signals, start-up output), its output kept.</summary>
public sealed class ApiProcess : IDisposable
{
    private ApiProcess(Process process) => Process = process;

    public Process Process { get; }

    /// <summary>Every line the process wrote (stderr lines prefixed <c>stderr: </c>).</summary>
    public ConcurrentQueue<string> Output { get; } = new();

    public int Id => Process.Id;

    /// <param name="settings">Configuration, as <see cref="ApiFixture.Settings"/> gives it (keys with ':').</param>
    /// <param name="role"><c>api</c>, <c>worker</c> or <c>all</c>.</param>
    /// <param name="port">A free loopback port (<see cref="FreePort"/>); none: the process picks one.</param>
    /// <param name="environment">The ASP.NET Core environment.</param>
    /// <param name="command">Arguments after the options, e.g. <c>db migrate-status</c>.</param>
    public static ApiProcess Start(IDictionary<string, string?> settings, string role, int? port = null, string environment = "Testing", params string[] command)
    {
        var dll = Path.Combine(TestServices.RepositoryRoot(), "src", "Api", "bin", "Release", "net10.0", "RenderOwl.Api.dll");
        Assert.True(File.Exists(dll), $"build the API first ({dll})");
        var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, WorkingDirectory = Path.GetDirectoryName(dll)! };
        foreach (var a in (string[])[dll, .. command, "--role", role, "--urls", $"http://127.0.0.1:{port ?? 0}"])
        {
            start.ArgumentList.Add(a);
        }
        foreach (var (key, value) in settings)
        {
            start.Environment[key.Replace(":", "__", StringComparison.Ordinal)] = value;
        }
        start.Environment["RenderOwl__Role"] = role;
        start.Environment["ASPNETCORE_ENVIRONMENT"] = environment;
        var api = new ApiProcess(Process.Start(start)!);
        api.Process.OutputDataReceived += (_, e) => { if (e.Data is { } line) { api.Output.Enqueue(line); } };
        api.Process.ErrorDataReceived += (_, e) => { if (e.Data is { } line) { api.Output.Enqueue("stderr: " + line); } };
        api.Process.BeginOutputReadLine();
        api.Process.BeginErrorReadLine();
        return api;
    }

    /// <summary>Until <c>/ready</c> answers 200 on <paramref name="port"/> (connection refusals while it starts are expected); fails if the process exits first.</summary>
    public async Task WaitUntilReadyAsync(int port, TimeSpan within)
    {
        using var probe = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{port}"), Timeout = TimeSpan.FromSeconds(5) };
        await Eventually.UntilAsync(async () =>
        {
            Assert.False(Process.HasExited, "the API exited before it was ready:\n" + string.Join("\n", Output));
            try
            {
                return (await probe.GetAsync("/ready")).StatusCode == System.Net.HttpStatusCode.OK;
            }
            catch (HttpRequestException)
            {
                return false;
            }
        }, within, "the API became ready", TimeSpan.FromMilliseconds(200));
    }

    /// <summary>Runs a one-shot command of the binary to its end: its exit code and every line it wrote.</summary>
    public static async Task<(int ExitCode, string Output)> RunAsync(IDictionary<string, string?> settings, TimeSpan within, params string[] command)
    {
        using var api = Start(settings, "api", null, "Testing", command);
        using var timeout = new CancellationTokenSource(within);
        await api.Process.WaitForExitAsync(timeout.Token);
        api.Process.WaitForExit(); // the output's last lines
        return (api.Process.ExitCode, string.Join("\n", api.Output));
    }

    /// <summary>SIGTERM by the shell's own kill builtin (no procps needed), to this process's pid only.</summary>
    public async Task TerminateAsync()
    {
        using var term = Process.Start("/bin/sh", ["-c", "kill -TERM \"$0\"", Id.ToString(System.Globalization.CultureInfo.InvariantCulture)])!;
        await term.WaitForExitAsync();
        Assert.Equal(0, term.ExitCode);
    }

    public static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    private bool _disposed;

    /// <summary>Kills what is still running (a test that failed midway), by this process's own pid.</summary>
    public void Dispose()
    {
        if (_disposed)
        {
            return;
        }
        _disposed = true;
        if (!Process.HasExited)
        {
            Process.Kill(entireProcessTree: true);
            Process.WaitForExit();
        }
        Process.Dispose();
    }
}
