namespace RenderOwl.Application.Rendering;

public sealed record RenderEventResponse(string Status, int? Attempt, string? Code, string? Message, DateTimeOffset OccurredAt);
