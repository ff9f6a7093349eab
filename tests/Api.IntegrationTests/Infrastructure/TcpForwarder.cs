using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;

namespace RenderOwl.Api.IntegrationTests.Infrastructure;

/// <summary>
/// A TCP forwarder of the test's own on a free 127.0.0.1 port, in front of a real server, that can be cut:
/// every open connection is closed and new ones are refused, as if the server behind had died.
/// </summary>
public sealed class TcpForwarder : IAsyncDisposable
{
    private readonly TcpListener _listener = new(IPAddress.Loopback, 0);
    private readonly CancellationTokenSource _stop = new();
    private readonly ConcurrentQueue<TcpClient> _open = new();
    private readonly Task _accepting;

    public TcpForwarder(string host, int port)
    {
        _listener.Start();
        Port = ((IPEndPoint)_listener.LocalEndpoint).Port;
        _accepting = AcceptAsync(host, port);
    }

    public int Port { get; }

    private async Task AcceptAsync(string host, int port)
    {
        try
        {
            while (!_stop.IsCancellationRequested)
            {
                var inbound = await _listener.AcceptTcpClientAsync(_stop.Token);
                var outbound = new TcpClient();
                await outbound.ConnectAsync(host, port, _stop.Token);
                _open.Enqueue(inbound);
                _open.Enqueue(outbound);
                _ = PipeAsync(inbound, outbound);
                _ = PipeAsync(outbound, inbound);
            }
        }
        catch (Exception ex) when (ex is OperationCanceledException or SocketException or ObjectDisposedException)
        {
        }
    }

    private static async Task PipeAsync(TcpClient from, TcpClient to)
    {
        try
        {
            await from.GetStream().CopyToAsync(to.GetStream());
        }
        catch (Exception ex) when (ex is IOException or SocketException or ObjectDisposedException or InvalidOperationException)
        {
        }
        finally
        {
            to.Close();
        }
    }

    /// <summary>Closes every connection and stops accepting.</summary>
    public void Cut()
    {
        _stop.Cancel();
        _listener.Stop();
        while (_open.TryDequeue(out var client))
        {
            client.Close();
        }
    }

    public async ValueTask DisposeAsync()
    {
        Cut();
        await _accepting;
        _stop.Dispose();
    }
}
