using System.Diagnostics;
using System.Net;
using System.Net.Sockets;

namespace RenderOwl.Api.IntegrationTests.Infrastructure;

/// <summary>A redis-server this test started (on a free loopback port) and may stop and restart by its own pid.</summary>
public sealed class OwnedRedis : IAsyncDisposable
{
    private Process? _process;

    public int Port { get; } = ApiProcess.FreePort();
    public string ConnectionString => $"127.0.0.1:{Port}";

    public static async Task<OwnedRedis> StartAsync()
    {
        var redis = new OwnedRedis();
        await redis.StartAgainAsync();
        return redis;
    }

    public async Task StartAgainAsync()
    {
        var start = new ProcessStartInfo("redis-server", ["--bind", "127.0.0.1", "--port", Port.ToString(System.Globalization.CultureInfo.InvariantCulture), "--save", "", "--appendonly", "no"])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        _process = Process.Start(start) ?? throw new InvalidOperationException("redis-server did not start");
        _ = _process.StandardOutput.ReadToEndAsync();
        _ = _process.StandardError.ReadToEndAsync();
        await Eventually.UntilAsync(async () =>
        {
            try
            {
                using var client = new TcpClient();
                await client.ConnectAsync(IPAddress.Loopback, Port);
                return true;
            }
            catch (SocketException)
            {
                return false;
            }
        }, TimeSpan.FromSeconds(10), $"redis-server listened on {Port}", TimeSpan.FromMilliseconds(50));
    }

    /// <summary>Really stops it: SIGKILL to the process this test started, then waits for it to exit.</summary>
    public async Task StopAsync()
    {
        if (_process is { HasExited: false } p)
        {
            p.Kill();
            await p.WaitForExitAsync();
        }
        _process?.Dispose();
        _process = null;
    }

    public async ValueTask DisposeAsync() => await StopAsync();
}
