using System.Text.Json;
using Npgsql;

// The anchor of the database benchmark: one render read by primary key with plain Npgsql (a pooled data source,
// one prepared statement, the row written as JSON) and no middleware. GET /v1/renders/{id} of the API is measured
// as a ratio of this, in one run. Connection string: ConnectionStrings__Primary, as for the API.
var builder = WebApplication.CreateSlimBuilder(args);
builder.Logging.ClearProviders();
var connectionString = builder.Configuration.GetConnectionString("Primary")
    ?? throw new InvalidOperationException("ConnectionStrings__Primary is not set.");
await using var dataSource = NpgsqlDataSource.Create(connectionString + ";Max Auto Prepare=8");
var app = builder.Build();

const string Sql = """
    SELECT id, project_id, status, progress, attempts, priority, tags, metadata, composition, output_settings, output,
           error_code, error_message, created_at, started_at, finished_at
    FROM rendering.renders WHERE id = $1
    """;

app.MapGet("/renders/{id:guid}", async (Guid id, HttpContext http) =>
{
    await using var command = dataSource.CreateCommand(Sql);
    command.Parameters.Add(new NpgsqlParameter<Guid> { TypedValue = id });
    await using var reader = await command.ExecuteReaderAsync(http.RequestAborted);
    if (!await reader.ReadAsync(http.RequestAborted))
    {
        return Results.NotFound();
    }
    var row = new RenderRow(
        reader.GetGuid(0), reader.GetGuid(1), reader.GetString(2), reader.GetInt32(3), reader.GetInt32(4), reader.GetInt16(5),
        reader.GetFieldValue<string[]>(6), Json(reader, 7), Json(reader, 8), Json(reader, 9), reader.IsDBNull(10) ? null : Json(reader, 10),
        reader.IsDBNull(11) ? null : reader.GetString(11), reader.IsDBNull(12) ? null : reader.GetString(12),
        reader.GetFieldValue<DateTimeOffset>(13), reader.IsDBNull(14) ? null : reader.GetFieldValue<DateTimeOffset>(14),
        reader.IsDBNull(15) ? null : reader.GetFieldValue<DateTimeOffset>(15));
    return Results.Json(row);
});
app.Run();

static JsonElement Json(NpgsqlDataReader reader, int ordinal) => reader.GetFieldValue<JsonDocument>(ordinal).RootElement;

internal sealed record RenderRow(
    Guid Id, Guid ProjectId, string Status, int Progress, int Attempts, short Priority, string[] Tags, JsonElement Metadata,
    JsonElement Composition, JsonElement OutputSettings, JsonElement? Output, string? ErrorCode, string? ErrorMessage,
    DateTimeOffset CreatedAt, DateTimeOffset? StartedAt, DateTimeOffset? FinishedAt);
