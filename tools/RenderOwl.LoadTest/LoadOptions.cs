using System.Globalization;

namespace RenderOwl.LoadTest;

/// <summary>What to send, how hard and for how long; parsed from the command line (see <see cref="Usage"/>).</summary>
public sealed record LoadOptions
{
    public required Uri Endpoint { get; init; }
    public HttpMethod Method { get; init; } = HttpMethod.Get;
    public TimeSpan Duration { get; init; } = TimeSpan.FromSeconds(10);
    /// <summary>Closed loop: this many clients, each sending its next request when the last one answered. With <see cref="Rps"/>: the most requests in flight.</summary>
    public int Concurrency { get; init; } = 10;
    /// <summary>Open loop: requests start at this constant rate whatever the server does; latency counts from when a request was due.</summary>
    public double? Rps { get; init; }
    public IReadOnlyList<(string Name, string Value)> Headers { get; init; } = [];
    public string? Body { get; init; }
    public string ContentType { get; init; } = "application/json";
    public bool Json { get; init; }
    public bool Progress { get; init; } = true;
    public Thresholds Rating { get; init; } = new();

    public const string Usage = """
        RenderOwl load test — HdrHistogram percentiles, req/s, status mix, a rating.
          --endpoint URL            required
          --method GET|POST|…       default GET
          --duration 10s|2m|500ms   default 10s
          --concurrency N           clients (closed loop); with --rps the most requests in flight (default 1000)
          --rps N                   constant arrival rate, latency corrected for coordinated omission
          --auth VALUE              rok_… → X-API-Key; anything else → Authorization (a bare token gets "Bearer ")
          --header "Name: value"    repeatable
          --body TEXT|@file         request body (Content-Type application/json unless --content-type)
          --green-p99-ms N          default 100;  --amber-p99-ms N  default 500
          --max-error-rate R        default 0.01 (above it the rating is red)
          --json                    the report as JSON on stdout;  --quiet  no progress line
        """;

    public static LoadOptions Parse(IReadOnlyList<string> args)
    {
        Uri? endpoint = null;
        var options = new LoadOptions { Endpoint = new Uri("http://127.0.0.1/") };
        var headers = new List<(string, string)>();
        var concurrencySet = false;
        var rating = new Thresholds();
        for (var i = 0; i < args.Count; i++)
        {
            string Next() => i + 1 < args.Count ? args[++i] : throw new ArgumentException($"{args[i]} needs a value.");
            switch (args[i])
            {
                case "--endpoint": endpoint = Uri.TryCreate(Next(), UriKind.Absolute, out var u) ? u : throw new ArgumentException("--endpoint must be an absolute URL."); break;
                case "--method": options = options with { Method = new HttpMethod(Next().ToUpperInvariant()) }; break;
                case "--duration": options = options with { Duration = ParseDuration(Next()) }; break;
                case "--concurrency": options = options with { Concurrency = PositiveInt(Next(), "--concurrency") }; concurrencySet = true; break;
                case "--rps": options = options with { Rps = PositiveDouble(Next(), "--rps") }; break;
                case "--auth": headers.Add(AuthHeader(Next())); break;
                case "--header": headers.Add(Header(Next())); break;
                case "--body": options = options with { Body = BodyOf(Next()) }; break;
                case "--content-type": options = options with { ContentType = Next() }; break;
                case "--green-p99-ms": rating = rating with { GreenP99Ms = PositiveDouble(Next(), "--green-p99-ms") }; break;
                case "--amber-p99-ms": rating = rating with { AmberP99Ms = PositiveDouble(Next(), "--amber-p99-ms") }; break;
                case "--max-error-rate": rating = rating with { MaxErrorRate = PositiveDouble(Next(), "--max-error-rate") }; break;
                case "--json": options = options with { Json = true }; break;
                case "--quiet": options = options with { Progress = false }; break;
                default: throw new ArgumentException($"Unknown argument '{args[i]}'.");
            }
        }
        if (endpoint is null)
        {
            throw new ArgumentException("--endpoint is required.");
        }
        return options with
        {
            Endpoint = endpoint,
            Headers = headers,
            Rating = rating,
            Concurrency = options.Rps is not null && !concurrencySet ? 1000 : options.Concurrency,
        };
    }

    public static TimeSpan ParseDuration(string text)
    {
        var (number, unit) = text.EndsWith("ms", StringComparison.Ordinal) ? (text[..^2], 0.001)
            : text.EndsWith('s') ? (text[..^1], 1.0)
            : text.EndsWith('m') ? (text[..^1], 60.0)
            : (text, 1.0);
        return double.TryParse(number, NumberStyles.Float, CultureInfo.InvariantCulture, out var value) && value > 0
            ? TimeSpan.FromSeconds(value * unit)
            : throw new ArgumentException($"'{text}' is not a duration (10s, 2m, 500ms).");
    }

    private static (string, string) AuthHeader(string value)
        => value.StartsWith("rok_", StringComparison.Ordinal) ? ("X-API-Key", value)
            : value.Contains(' ', StringComparison.Ordinal) ? ("Authorization", value)
            : ("Authorization", "Bearer " + value);

    private static (string, string) Header(string text)
    {
        var colon = text.IndexOf(':', StringComparison.Ordinal);
        return colon > 0 ? (text[..colon].Trim(), text[(colon + 1)..].Trim()) : throw new ArgumentException($"'{text}' is not 'Name: value'.");
    }

    private static string BodyOf(string text) => text.StartsWith('@') ? File.ReadAllText(text[1..]) : text;

    private static int PositiveInt(string text, string name)
        => int.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out var n) && n > 0 ? n : throw new ArgumentException($"{name} must be a positive integer.");

    private static double PositiveDouble(string text, string name)
        => double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var n) && n > 0 ? n : throw new ArgumentException($"{name} must be a positive number.");
}

/// <summary>Green when p99 and the error rate are within the first bound, amber within the second p99 bound, red otherwise.</summary>
public sealed record Thresholds(double GreenP99Ms = 100, double AmberP99Ms = 500, double MaxErrorRate = 0.01);
