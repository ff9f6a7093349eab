using System.Net.Security;
using System.Net.Sockets;
using System.Text;

namespace RenderOwl.LoadTest;

/// <summary>
/// One keep-alive HTTP/1.1 connection that sends a request prepared once (<see cref="Prepare"/>) and reads each
/// response to its end: status line, headers, then a body by Content-Length, chunked encoding or the connection's
/// close. What wrk does per request and no more — HttpClient's per-request objects halved the rate the tool could
/// drive on the 2 cores it shares with the server it measures (ADR 26). A connection the server closes is opened
/// again for the next request, and a request that finds its kept-alive connection already closed (the server's idle
/// timeout) is sent once more on a new one, as browsers and HttpClient do, before anything is counted as failed.
/// </summary>
public sealed class RawHttpConnection(Uri endpoint, bool head = false) : IAsyncDisposable
{
    private const int MaxHeaderBytes = 64 * 1024;
    private Socket? _socket;
    private SslStream? _stream; // https only; plain HTTP reads and writes the socket itself
    private byte[] _buffer = new byte[16 * 1024];
    private int _start, _end; // unread bytes of the last read
    private bool _received; // a byte of the current response has arrived

    /// <summary>The bytes of one request: method, path, Host, the headers, and the body with its length and type.</summary>
    public static byte[] Prepare(Uri endpoint, HttpMethod method, IReadOnlyList<(string Name, string Value)> headers, string? body, string contentType)
    {
        var text = new StringBuilder();
        text.Append(method.Method).Append(' ').Append(endpoint.PathAndQuery).Append(" HTTP/1.1\r\n");
        text.Append("Host: ").Append(endpoint.IsDefaultPort ? endpoint.Host : endpoint.Authority).Append("\r\n");
        foreach (var (name, value) in headers)
        {
            text.Append(name).Append(": ").Append(value).Append("\r\n");
        }
        var bodyBytes = body is null ? [] : Encoding.UTF8.GetBytes(body);
        if (body is not null || method == HttpMethod.Post || method == HttpMethod.Put || method == HttpMethod.Patch)
        {
            text.Append("Content-Type: ").Append(contentType).Append("\r\nContent-Length: ").Append(bodyBytes.Length).Append("\r\n");
        }
        text.Append("\r\n");
        return [.. Encoding.ASCII.GetBytes(text.ToString()), .. bodyBytes];
    }

    /// <summary>Sends the request and reads the whole response; the status code. Throws IOException or SocketException when the connection fails.</summary>
    public async Task<int> SendAsync(ReadOnlyMemory<byte> request, CancellationToken cancellationToken)
    {
        var reused = _socket is not null;
        try
        {
            return await SendOnceAsync(request, cancellationToken);
        }
        catch (Exception ex) when (reused && !_received && ex is IOException or SocketException && !cancellationToken.IsCancellationRequested)
        {
            return await SendOnceAsync(request, cancellationToken); // the kept-alive connection was gone before it answered
        }
    }

    private async Task<int> SendOnceAsync(ReadOnlyMemory<byte> request, CancellationToken cancellationToken)
    {
        _received = false;
        if (_socket is null)
        {
            await ConnectAsync(cancellationToken);
        }
        try
        {
            if (_stream is null)
            {
                // Plain HTTP straight on the socket (no stream in between); a short send is finished by the loop.
                for (var sent = 0; sent < request.Length;)
                {
                    sent += await _socket!.SendAsync(request[sent..], SocketFlags.None, cancellationToken);
                }
            }
            else
            {
                await _stream.WriteAsync(request, cancellationToken);
            }
            return await ReadResponseAsync(cancellationToken);
        }
        catch
        {
            Close();
            throw;
        }
    }

    private async Task ConnectAsync(CancellationToken cancellationToken)
    {
        var socket = new Socket(SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        try
        {
            await socket.ConnectAsync(endpoint.Host, endpoint.Port, cancellationToken);
            SslStream? tls = null;
            if (endpoint.Scheme == Uri.UriSchemeHttps)
            {
                tls = new SslStream(new NetworkStream(socket, ownsSocket: false), leaveInnerStreamOpen: false);
                await tls.AuthenticateAsClientAsync(new SslClientAuthenticationOptions { TargetHost = endpoint.Host }, cancellationToken);
            }
            (_socket, _stream, _start, _end) = (socket, tls, 0, 0);
        }
        catch
        {
            socket.Dispose();
            throw;
        }
    }

    private async Task<int> ReadResponseAsync(CancellationToken cancellationToken)
    {
        // Status line and headers, up to the blank line.
        int headerEnd;
        while ((headerEnd = _buffer.AsSpan(_start, _end - _start).IndexOf("\r\n\r\n"u8)) < 0)
        {
            if (_end - _start >= MaxHeaderBytes)
            {
                throw new IOException("response headers larger than 64 KiB");
            }
            await FillAsync(cancellationToken);
        }
        var (status, length, chunked, close) = ParseHead(_buffer.AsSpan(_start, headerEnd));
        _start += headerEnd + 4;
        if (status is >= 100 and < 200)
        {
            return await ReadResponseAsync(cancellationToken); // an interim answer: the real one follows
        }
        if (head || status is 204 or 304)
        {
            // No body, whatever Content-Length says (it describes the GET's).
        }
        else if (chunked)
        {
            await SkipChunkedAsync(cancellationToken);
        }
        else if (length is { } n)
        {
            await SkipAsync(n, cancellationToken);
        }
        else if (close)
        {
            while (await FillAsync(cancellationToken, endOk: true)) { _start = _end; } // the body runs to the close
        }
        if (close)
        {
            Close();
        }
        return status;
    }

    /// <summary>The status code and the three headers that decide where the body ends, read from the bytes as they came.</summary>
    private static (int Status, long? Length, bool Chunked, bool Close) ParseHead(ReadOnlySpan<byte> head)
    {
        var eol = head.IndexOf("\r\n"u8);
        var first = eol < 0 ? head : head[..eol];
        if (first.Length < 12 || !first.StartsWith("HTTP/1."u8) || first[8] != (byte)' '
            || !System.Buffers.Text.Utf8Parser.TryParse(first.Slice(9, 3), out int status, out _))
        {
            throw new IOException("not an HTTP/1.x response: " + Encoding.ASCII.GetString(first));
        }
        long? length = null;
        bool chunked = false, close = first[7] == (byte)'0'; // HTTP/1.0 closes unless told otherwise
        var rest = eol < 0 ? [] : head[(eol + 2)..];
        while (!rest.IsEmpty)
        {
            var end = rest.IndexOf("\r\n"u8);
            var line = end < 0 ? rest : rest[..end];
            rest = end < 0 ? [] : rest[(end + 2)..];
            var colon = line.IndexOf((byte)':');
            if (colon <= 0)
            {
                continue;
            }
            var name = line[..colon].Trim((byte)' ');
            var value = line[(colon + 1)..].Trim((byte)' ');
            if (Ascii.EqualsIgnoreCase(name, "Content-Length"u8))
            {
                length = System.Buffers.Text.Utf8Parser.TryParse(value, out long n, out _) ? n : throw new IOException("bad Content-Length");
            }
            else if (Ascii.EqualsIgnoreCase(name, "Transfer-Encoding"u8))
            {
                chunked = Encoding.ASCII.GetString(value).Contains("chunked", StringComparison.OrdinalIgnoreCase);
            }
            else if (Ascii.EqualsIgnoreCase(name, "Connection"u8))
            {
                close = Ascii.EqualsIgnoreCase(value, "close"u8) || (close && !Ascii.EqualsIgnoreCase(value, "keep-alive"u8));
            }
        }
        return (status, length, chunked, close);
    }

    private async Task SkipChunkedAsync(CancellationToken cancellationToken)
    {
        while (true)
        {
            var line = await ReadLineAsync(cancellationToken);
            if (!long.TryParse(line.Split(';', 2)[0].Trim(), System.Globalization.NumberStyles.AllowHexSpecifier, null, out var size) || size < 0)
            {
                throw new IOException("bad chunk size: " + line);
            }
            if (size == 0)
            {
                while ((await ReadLineAsync(cancellationToken)).Length > 0) { } // trailers, up to the blank line
                return;
            }
            await SkipAsync(size + 2, cancellationToken); // the data and its CRLF
        }
    }

    private async Task<string> ReadLineAsync(CancellationToken cancellationToken)
    {
        int end;
        while ((end = _buffer.AsSpan(_start, _end - _start).IndexOf("\r\n"u8)) < 0)
        {
            await FillAsync(cancellationToken);
        }
        var line = Encoding.ASCII.GetString(_buffer, _start, end);
        _start += end + 2;
        return line;
    }

    private async Task SkipAsync(long count, CancellationToken cancellationToken)
    {
        while (true)
        {
            var take = (int)Math.Min(count, _end - _start);
            _start += take;
            count -= take;
            if (count == 0)
            {
                return;
            }
            _start = _end = 0; // all of it consumed: read the next piece from the start of the buffer
            await FillAsync(cancellationToken);
        }
    }

    /// <summary>Reads more bytes after the unread ones; false at the end of the stream when that is allowed.</summary>
    private async Task<bool> FillAsync(CancellationToken cancellationToken, bool endOk = false)
    {
        if (_start == _end)
        {
            _start = _end = 0;
        }
        else if (_end == _buffer.Length)
        {
            if (_start > 0)
            {
                Buffer.BlockCopy(_buffer, _start, _buffer, 0, _end - _start);
                (_end, _start) = (_end - _start, 0);
            }
            else
            {
                Array.Resize(ref _buffer, _buffer.Length * 2);
            }
        }
        var read = _stream is null
            ? await _socket!.ReceiveAsync(_buffer.AsMemory(_end), SocketFlags.None, cancellationToken)
            : await _stream.ReadAsync(_buffer.AsMemory(_end), cancellationToken);
        if (read == 0)
        {
            return endOk ? false : throw new IOException("the server closed the connection mid-response");
        }
        _received = true;
        _end += read;
        return true;
    }

    private void Close()
    {
        _stream?.Dispose();
        _socket?.Dispose();
        (_stream, _socket, _start, _end) = (null, null, 0, 0);
    }

    public ValueTask DisposeAsync()
    {
        Close();
        return ValueTask.CompletedTask;
    }
}
