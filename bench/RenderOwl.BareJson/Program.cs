// The anchor of the HTTP benchmarks: the framework's own speed on this machine — a minimal API (slim builder)
// returning a small JSON object, with no middleware. RenderOwl's routes are measured as a ratio of this, in one run.
var builder = WebApplication.CreateSlimBuilder(args);
builder.Logging.ClearProviders();
var app = builder.Build();
app.MapGet("/json", () => Results.Json(new Reply("proj_01J0000000000000000000000", "bare", "the framework alone", 0)));
app.Run();

internal sealed record Reply(string Id, string Name, string Description, int RenderCount);
