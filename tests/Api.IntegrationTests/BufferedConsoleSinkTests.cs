using System.Text;
using RenderOwl.Api.Composition;
using Serilog.Events;
using Serilog.Formatting.Compact;
using Serilog.Parsing;

namespace RenderOwl.Api.IntegrationTests;

/// <summary>The JSON log writer: whole lines only, several per write while the queue holds more, every line out once the queue is empty.</summary>
public sealed class BufferedConsoleSinkTests
{
    private static LogEvent Event(string text) => new(DateTimeOffset.UtcNow, LogEventLevel.Information, null,
        new MessageTemplateParser().Parse(text), []);

    [Fact]
    public void Lines_wait_while_more_are_queued_and_go_out_together_when_the_queue_is_empty()
    {
        var output = new RecordingStream();
        var queued = 3;
        using var sink = new BufferedConsoleSink(new RenderedCompactJsonFormatter(), () => queued, output);

        sink.Emit(Event("first"));
        sink.Emit(Event("second"));
        Assert.Empty(output.Writes); // more events are waiting: nothing written yet
        queued = 0;
        sink.Emit(Event("third"));

        var write = Assert.Single(output.Writes);
        var lines = write.TrimEnd('\n').Split('\n');
        Assert.Equal(["first", "second", "third"], lines.Select(l => System.Text.Json.JsonDocument.Parse(l).RootElement.GetProperty("@m").GetString()));
        Assert.Equal(1, sink.Writes);
    }

    [Fact]
    public void A_full_buffer_goes_out_in_whole_lines_and_a_line_larger_than_the_buffer_goes_alone()
    {
        var output = new RecordingStream();
        using (var sink = new BufferedConsoleSink(new RenderedCompactJsonFormatter(), () => 1, output, bufferBytes: 1024))
        {
            for (var i = 0; i < 50; i++)
            {
                sink.Emit(Event($"line {i}"));
            }
            sink.Emit(Event("long " + new string('é', 2000)));
            sink.Emit(Event("after the long one"));
        } // Dispose flushes what is still buffered

        Assert.True(output.Writes.Count >= 5, $"{output.Writes.Count} writes");
        Assert.All(output.Writes, w => Assert.EndsWith("\n", w, StringComparison.Ordinal)); // never a line cut between two writes
        var messages = output.Writes.SelectMany(w => w.TrimEnd('\n').Split('\n'))
            .Select(l => System.Text.Json.JsonDocument.Parse(l).RootElement.GetProperty("@m").GetString()).ToList();
        Assert.Equal([.. Enumerable.Range(0, 50).Select(i => $"line {i}"), "long " + new string('é', 2000), "after the long one"], messages);
        Assert.Contains(output.Writes, w => w.StartsWith("{", StringComparison.Ordinal) && w.Contains("long ééé", StringComparison.Ordinal) && w.Count(c => c == '\n') == 1);
    }

    private sealed class RecordingStream : Stream
    {
        public List<string> Writes { get; } = [];
        public override void Write(byte[] buffer, int offset, int count) => Writes.Add(Encoding.UTF8.GetString(buffer, offset, count));
        public override void Flush() { }
        public override bool CanRead => false;
        public override bool CanSeek => false;
        public override bool CanWrite => true;
        public override long Length => throw new NotSupportedException();
        public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }
        public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException();
        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
        public override void SetLength(long value) => throw new NotSupportedException();
    }
}
