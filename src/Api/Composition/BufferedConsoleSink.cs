using System.Buffers;
using System.Globalization;
using System.Text;
using Serilog.Core;
using Serilog.Events;
using Serilog.Formatting;

namespace RenderOwl.Api.Composition;

/// <summary>
/// JSON log lines to stdout, several per write. It runs on the log queue's one writer thread (behind
/// Serilog.Sinks.Async, <see cref="LogQueueMonitor"/>): each event is formatted into a buffer of whole lines, and the
/// buffer goes to stdout when the queue behind it is empty (so an idle process writes every line at once, as a
/// console sink does) or when the next line would not fit. Under load that is one write for many lines instead of one
/// per line: the console sink's write-and-flush per event was a system call per request (docs/benchmarks.md).
/// Lines are never split across writes, so another writer to stdout cannot interleave inside one.
/// </summary>
public sealed class BufferedConsoleSink(ITextFormatter formatter, Func<int> queued, Stream? output = null, int bufferBytes = 64 * 1024)
    : ILogEventSink, IDisposable
{
    private static readonly UTF8Encoding Utf8 = new(encoderShouldEmitUTF8Identifier: false);
    private readonly Stream _output = output ?? Console.OpenStandardOutput();
    private readonly StringWriter _line = new(CultureInfo.InvariantCulture);
    private readonly byte[] _buffer = new byte[bufferBytes];
    private int _used;

    /// <summary>Writes to stdout so far (for tests and the benchmark's accounting).</summary>
    public long Writes { get; private set; }

    public void Emit(LogEvent logEvent)
    {
        var text = _line.GetStringBuilder().Clear();
        formatter.Format(logEvent, _line);
        var most = Utf8.GetMaxByteCount(text.Length);
        if (_used + most > _buffer.Length)
        {
            Flush();
        }
        if (most > _buffer.Length)
        {
            WriteAlone(text, most); // a line larger than the buffer goes out by itself
        }
        else
        {
            foreach (var chunk in text.GetChunks())
            {
                _used += Utf8.GetBytes(chunk.Span, _buffer.AsSpan(_used));
            }
        }
        if (queued() == 0)
        {
            Flush();
        }
    }

    public void Flush()
    {
        if (_used == 0)
        {
            return;
        }
        _output.Write(_buffer, 0, _used);
        _output.Flush();
        _used = 0;
        Writes++;
    }

    public void Dispose()
    {
        Flush();
        _line.Dispose();
    }

    private void WriteAlone(StringBuilder text, int most)
    {
        var bytes = ArrayPool<byte>.Shared.Rent(most);
        try
        {
            var length = 0;
            foreach (var chunk in text.GetChunks())
            {
                length += Utf8.GetBytes(chunk.Span, bytes.AsSpan(length));
            }
            _output.Write(bytes, 0, length);
            _output.Flush();
            Writes++;
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(bytes);
        }
    }
}
