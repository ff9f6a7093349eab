using System.Collections.Concurrent;
using System.Text;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;

namespace RenderOwl.Api.IntegrationTests.Infrastructure;

/// <summary>One span as an OTLP collector receives it, with its resource's attributes.</summary>
public sealed record ReceivedSpan(string TraceId, string SpanId, string ParentSpanId, string Name,
    IReadOnlyDictionary<string, object> Attributes, IReadOnlyDictionary<string, object> Resource, int StatusCode);

/// <summary>
/// The other side of OTLP/HTTP on loopback: accepts <c>POST /v1/traces</c> (protobuf, as the .NET exporter sends it)
/// and decodes the spans with a small reader of the protobuf wire format (the fields of opentelemetry-proto's
/// trace.proto that the tests read).
/// </summary>
public sealed class OtlpReceiver : IAsyncDisposable
{
    private readonly LoopbackServer _server;

    private OtlpReceiver(LoopbackServer server) => _server = server;

    public ConcurrentQueue<ReceivedSpan> Spans { get; } = new();

    /// <summary>Each <c>/v1/logs</c> request's body (protobuf keeps strings as UTF-8, enough to find a message in).</summary>
    public ConcurrentQueue<byte[]> LogRequests { get; } = new();

    public string Endpoint => _server.Url("/");

    private static async Task<byte[]> BodyAsync(HttpContext http)
    {
        using var buffer = new MemoryStream();
        Stream body = http.Request.Body;
        if (http.Request.Headers.ContentEncoding.ToString().Contains("gzip", StringComparison.OrdinalIgnoreCase))
        {
            body = new System.IO.Compression.GZipStream(body, System.IO.Compression.CompressionMode.Decompress);
        }
        await body.CopyToAsync(buffer);
        return buffer.ToArray();
    }

    public static async Task<OtlpReceiver> StartAsync()
    {
        OtlpReceiver? receiver = null;
        var server = await LoopbackServer.StartAsync(app =>
        {
            app.MapPost("/v1/traces", async (HttpContext http) =>
            {
                foreach (var span in Decode(await BodyAsync(http)))
                {
                    receiver!.Spans.Enqueue(span);
                }
                return Results.Bytes([], "application/x-protobuf");
            });
            app.MapPost("/v1/logs", async (HttpContext http) =>
            {
                receiver!.LogRequests.Enqueue(await BodyAsync(http));
                return Results.Bytes([], "application/x-protobuf");
            });
        });
        receiver = new OtlpReceiver(server);
        return receiver;
    }

    public ValueTask DisposeAsync() => _server.DisposeAsync();

    private static IEnumerable<ReceivedSpan> Decode(byte[] request)
    {
        foreach (var (field, resourceSpans) in Fields(request))
        {
            if (field != 1)
            {
                continue;
            }
            var resource = new Dictionary<string, object>();
            var spans = new List<byte[]>();
            foreach (var (f, value) in Fields((byte[])resourceSpans))
            {
                if (f == 1)
                {
                    foreach (var (rf, attribute) in Fields((byte[])value))
                    {
                        if (rf == 1)
                        {
                            Add(resource, (byte[])attribute);
                        }
                    }
                }
                else if (f == 2)
                {
                    spans.AddRange(Fields((byte[])value).Where(s => s.Field == 2).Select(s => (byte[])s.Value));
                }
            }
            foreach (var span in spans)
            {
                string traceId = "", spanId = "", parent = "", name = "";
                var attributes = new Dictionary<string, object>();
                var status = 0;
                foreach (var (f, value) in Fields(span))
                {
                    switch (f)
                    {
                        case 1: traceId = Convert.ToHexStringLower((byte[])value); break;
                        case 2: spanId = Convert.ToHexStringLower((byte[])value); break;
                        case 4: parent = Convert.ToHexStringLower((byte[])value); break;
                        case 5: name = Encoding.UTF8.GetString((byte[])value); break;
                        case 9: Add(attributes, (byte[])value); break;
                        case 15: status = (int)(Fields((byte[])value).Where(s => s.Field == 3).Select(s => (ulong)s.Value).FirstOrDefault()); break;
                    }
                }
                yield return new ReceivedSpan(traceId, spanId, parent, name, attributes, resource, status);
            }
        }
    }

    /// <summary>A KeyValue: key (1) and an AnyValue (2): string (1), bool (2), int (3), double (4).</summary>
    private static void Add(Dictionary<string, object> into, byte[] keyValue)
    {
        string? key = null;
        object? value = null;
        foreach (var (f, v) in Fields(keyValue))
        {
            if (f == 1)
            {
                key = Encoding.UTF8.GetString((byte[])v);
            }
            else if (f == 2)
            {
                foreach (var (af, av) in Fields((byte[])v))
                {
                    value = af switch
                    {
                        1 => Encoding.UTF8.GetString((byte[])av),
                        2 => (ulong)av != 0,
                        3 => (long)(ulong)av,
                        4 => BitConverter.Int64BitsToDouble((long)(ulong)av),
                        _ => value,
                    };
                }
            }
        }
        if (key is not null && value is not null)
        {
            into[key] = value;
        }
    }

    /// <summary>The top-level fields of one message: varints and fixed numbers as ulong, length-delimited ones as bytes.</summary>
    private static List<(int Field, object Value)> Fields(byte[] message)
    {
        var fields = new List<(int, object)>();
        var i = 0;
        while (i < message.Length)
        {
            var tag = Varint(message, ref i);
            var field = (int)(tag >> 3);
            switch ((int)(tag & 7))
            {
                case 0: fields.Add((field, Varint(message, ref i))); break;
                case 1: fields.Add((field, BitConverter.ToUInt64(message, i))); i += 8; break;
                case 2:
                    var length = (int)Varint(message, ref i);
                    fields.Add((field, message[i..(i + length)]));
                    i += length;
                    break;
                case 5: fields.Add((field, (ulong)BitConverter.ToUInt32(message, i))); i += 4; break;
                default: throw new InvalidDataException($"wire type {tag & 7} at {i}");
            }
        }
        return fields;
    }

    private static ulong Varint(byte[] data, ref int i)
    {
        ulong result = 0;
        for (var shift = 0; ; shift += 7)
        {
            var b = data[i++];
            result |= (ulong)(b & 0x7F) << shift;
            if ((b & 0x80) == 0)
            {
                return result;
            }
        }
    }
}
