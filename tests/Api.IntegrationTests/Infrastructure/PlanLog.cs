using System.Text;
using System.Text.Json;
using Npgsql;

namespace RenderOwl.Api.IntegrationTests.Infrastructure;

/// <summary>
/// The plans PostgreSQL's auto_explain writes to the server log for connections opened with <see cref="Explained"/>:
/// every statement those connections run (and every statement inside a function they call), as it was planned with
/// its real parameters. Read back with <c>pg_read_file</c> from where scripts/services.sh puts the log.
/// </summary>
public sealed class PlanLog
{
    private readonly string _connectionString;
    private readonly string _path;
    private readonly long _from;

    private PlanLog(string connectionString, string path, long from) => (_connectionString, _path, _from) = (connectionString, path, from);

    /// <summary>The connection string with auto_explain loaded and logging every plan (superuser: the tests' server).</summary>
    public static string Explained(string connectionString) => new NpgsqlConnectionStringBuilder(connectionString)
    {
        Options = "-c session_preload_libraries=auto_explain -c auto_explain.log_min_duration=0 -c auto_explain.log_format=json "
            + "-c auto_explain.log_nested_statements=on",
    }.ConnectionString;

    /// <summary>Starts reading at the log's current end.</summary>
    public static async Task<PlanLog> StartAsync(string connectionString)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync();
        await using var directory = new NpgsqlCommand("SELECT current_setting('data_directory')", connection);
        var data = (string)(await directory.ExecuteScalarAsync())!;
        var path = Path.Combine(Path.GetDirectoryName(data.TrimEnd('/'))!, Path.GetFileName(data.TrimEnd('/')) + ".log"); // <pgroot>/primary.log
        return new PlanLog(connectionString, path, await SizeAsync(connection, path));
    }

    /// <summary>Every plan logged since the start: its query text and its plan tree.</summary>
    public async Task<IReadOnlyList<(string Query, JsonElement Plan)>> ReadAsync()
    {
        await using var connection = new NpgsqlConnection(_connectionString);
        await connection.OpenAsync();
        var size = await SizeAsync(connection, _path);
        await using var read = new NpgsqlCommand("SELECT pg_read_binary_file($1, $2, $3)", connection);
        read.Parameters.Add(new NpgsqlParameter<string> { TypedValue = _path });
        read.Parameters.Add(new NpgsqlParameter<long> { TypedValue = _from });
        read.Parameters.Add(new NpgsqlParameter<long> { TypedValue = size - _from });
        var bytes = (byte[])(await read.ExecuteScalarAsync())!;
        return Parse(bytes);
    }

    private static async Task<long> SizeAsync(NpgsqlConnection connection, string path)
    {
        await using var stat = new NpgsqlCommand("SELECT size FROM pg_stat_file($1)", connection);
        stat.Parameters.Add(new NpgsqlParameter<string> { TypedValue = path });
        return (long)(await stat.ExecuteScalarAsync())!;
    }

    private static List<(string, JsonElement)> Parse(byte[] log)
    {
        var plans = new List<(string, JsonElement)>();
        var marker = "plan:"u8.ToArray();
        var at = 0;
        while ((at = IndexOf(log, marker, at)) >= 0)
        {
            var start = Array.IndexOf(log, (byte)'{', at);
            if (start < 0)
            {
                break;
            }
            var reader = new Utf8JsonReader(log.AsSpan(start), new JsonReaderOptions { AllowTrailingCommas = true });
            try
            {
                using var document = JsonDocument.ParseValue(ref reader);
                var root = document.RootElement.Clone();
                plans.Add((root.TryGetProperty("Query Text", out var q) ? q.GetString() ?? "" : "", root.GetProperty("Plan")));
                at = start + (int)reader.BytesConsumed;
            }
            catch (JsonException)
            {
                at = start + 1; // a message cut by another backend's write: skip it
            }
        }
        return plans;
    }

    private static int IndexOf(byte[] haystack, byte[] needle, int from)
    {
        var found = haystack.AsSpan(from).IndexOf(needle);
        return found < 0 ? -1 : from + found;
    }

    /// <summary>
    /// Every sequential scan in a plan tree that may read a table whole: the relation it reads. A scan without a
    /// filter whose only way up to a Limit is through appends and subquery scans reads at most that many rows (a
    /// capped count of an unfiltered list): it is bounded, not listed.
    /// </summary>
    public static IEnumerable<string> SeqScans(JsonElement plan, bool bounded = false)
    {
        var type = plan.TryGetProperty("Node Type", out var t) ? t.GetString() : null;
        if (type == "Seq Scan" && plan.TryGetProperty("Relation Name", out var relation) && !(bounded && !plan.TryGetProperty("Filter", out _)))
        {
            yield return relation.GetString()!;
        }
        var under = type == "Limit" || (bounded && type is "Append" or "Subquery Scan" or "Result");
        if (plan.TryGetProperty("Plans", out var children))
        {
            foreach (var child in children.EnumerateArray())
            {
                foreach (var scan in SeqScans(child, under))
                {
                    yield return scan;
                }
            }
        }
    }

    public static string Describe(string query) => query.Length > 400 ? query[..400] + " …" : query;

    public static string Report(IEnumerable<(string Relation, string Query)> scans)
    {
        var text = new StringBuilder();
        foreach (var (relation, query) in scans)
        {
            text.Append("Seq Scan on ").Append(relation).Append(" in: ").AppendLine(Describe(query.ReplaceLineEndings(" ")));
        }
        return text.ToString();
    }
}
