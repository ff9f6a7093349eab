using System.Text;
using System.Text.Json;
using FluentValidation;
using Mediator;
using RenderOwl.Application.Common.Abstractions;
using RenderOwl.Domain.Common;

namespace RenderOwl.Application.Analytics;

/// <summary>One event as a client sends it.</summary>
public sealed record EventInput(string? Name, DateTimeOffset? OccurredAt, JsonElement? Properties, ProjectId? ProjectId);

/// <summary><c>POST /v1/analytics/events</c>: up to 500 events of the caller's, written with one COPY.</summary>
public sealed record IngestEventsCommand(IReadOnlyList<EventInput>? Events) : ICommand<IngestEventsResult>;

public sealed record IngestEventsResult(int Accepted);

public sealed class IngestEventsValidator : AbstractValidator<IngestEventsCommand>
{
    public const int MaxEvents = 500;
    public const int MaxPropertiesBytes = 8 * 1024;
    public static readonly TimeSpan MaxAge = TimeSpan.FromDays(30);
    /// <summary>Clocks differ: an event up to this far ahead of ours is taken as now-ish, not as "in the future".</summary>
    public static readonly TimeSpan ClockSkew = TimeSpan.FromSeconds(60);

    public IngestEventsValidator(TimeProvider clock)
    {
        RuleFor(x => x.Events).NotNull().WithErrorCode("required").WithMessage("'events' is a list of 1 to 500 events.")
            .Must(e => e is { Count: > 0 and <= MaxEvents }).WithErrorCode("out_of_range").WithMessage("'events' holds 1 to 500 events.");
        RuleForEach(x => x.Events).ChildRules(e =>
        {
            e.RuleFor(x => x.Name).NotEmpty().WithErrorCode("required").WithMessage("'name' is required.")
                .Must(n => n is null || (n.Length <= 100 && n.All(c => c is (>= 'a' and <= 'z') or (>= '0' and <= '9') or '_' or '.')))
                .WithErrorCode("invalid_name").WithMessage("'name' is 1-100 characters of a-z, 0-9, '_' and '.'.")
                .Must(n => n is null || !n.StartsWith("render.", StringComparison.Ordinal)).WithErrorCode("reserved_name")
                .WithMessage("Names starting 'render.' are RenderOwl's own (render lifecycle events are recorded for you).");
            e.RuleFor(x => x.OccurredAt).NotNull().WithErrorCode("required").WithMessage("'occurred_at' is required (RFC 3339).")
                .Must(at => at is null || at.Value <= clock.GetUtcNow() + ClockSkew).WithErrorCode("in_future").WithMessage("'occurred_at' is in the future.")
                .Must(at => at is null || at.Value >= clock.GetUtcNow() - MaxAge).WithErrorCode("too_old").WithMessage("'occurred_at' is more than 30 days ago.");
            e.RuleFor(x => x.Properties)
                .Must(p => p is null || p.Value.ValueKind is JsonValueKind.Null or JsonValueKind.Object).WithErrorCode("invalid_type").WithMessage("'properties' is a JSON object.")
                .Must(p => p is null || Encoding.UTF8.GetByteCount(p.Value.GetRawText()) <= MaxPropertiesBytes).WithErrorCode("too_large").WithMessage("'properties' is at most 8 KiB of JSON.");
        }).When(x => x.Events is { Count: > 0 and <= MaxEvents });
    }
}

public sealed class IngestEventsHandler(ICurrentUser current, IProjectAccess projects, IAnalyticsStore store, IUsageRollUps rollUps, TimeProvider clock)
    : ICommandHandler<IngestEventsCommand, IngestEventsResult>
{
    public async ValueTask<IngestEventsResult> Handle(IngestEventsCommand command, CancellationToken cancellationToken)
    {
        var owner = current.Id;
        var events = command.Events!;
        foreach (var project in events.Select(e => e.ProjectId).OfType<ProjectId>().Distinct())
        {
            await projects.EnsureOwnedAsync(project, owner, cancellationToken); // another account's project: 404, like any of its resources
        }
        var incoming = events.Select(e => new IncomingEvent(e.Name!, e.OccurredAt!.Value,
            e.Properties is { ValueKind: JsonValueKind.Object } p ? p.GetRawText() : "{}", e.ProjectId)).ToList();
        var now = clock.GetUtcNow();
        var accepted = await store.CopyAsync(owner, incoming, now, cancellationToken);
        // The minutely roll-up covers this hour and the last; an hour before those is recomputed once more for late events.
        var covered = new DateTimeOffset(now.Year, now.Month, now.Day, now.Hour, 0, 0, TimeSpan.Zero).AddHours(-1);
        var late = incoming.Select(e => e.OccurredAt.ToUniversalTime()).Select(t => new DateTimeOffset(t.Year, t.Month, t.Day, t.Hour, 0, 0, TimeSpan.Zero))
            .Where(h => h < covered).Distinct().ToList();
        if (late.Count > 0)
        {
            rollUps.Schedule(late);
        }
        return new IngestEventsResult(accepted);
    }
}
