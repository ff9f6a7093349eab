namespace RenderOwl.Api;

/// <summary><c>--role api|worker|all</c>: what this process runs. <c>all</c> (default) serves the API and runs background work.</summary>
public sealed record ServerRole(string Name, bool RunsWorker)
{
    public static ServerRole Parse(string? value) => (value ?? "all").Trim().ToLowerInvariant() switch
    {
        "all" => new("all", true),
        "api" => new("api", false),
        "worker" => new("worker", true),
        var other => throw new ArgumentException($"Unknown role '{other}': use api, worker or all."),
    };
}
