using System.Net;
using System.Net.Sockets;

namespace RenderOwl.Infrastructure.Networking;

/// <summary>An HTTP handler that connects to one checked address, whatever the name would resolve to now (no DNS rebinding), never following redirects.</summary>
public static class PinnedConnections
{
    public static SocketsHttpHandler Handler(IPAddress address, TimeSpan connectTimeout) => new()
    {
        AllowAutoRedirect = false,
        UseProxy = false,
        UseCookies = false,
        ConnectTimeout = connectTimeout,
        ConnectCallback = async (context, ct) =>
        {
            var socket = new Socket(address.AddressFamily, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
            try
            {
                await socket.ConnectAsync(new IPEndPoint(address, context.DnsEndPoint.Port), ct);
                return new NetworkStream(socket, ownsSocket: true);
            }
            catch
            {
                socket.Dispose();
                throw;
            }
        },
    };
}
