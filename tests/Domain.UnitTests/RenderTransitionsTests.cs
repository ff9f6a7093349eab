using RenderOwl.Domain.Common;
using RenderOwl.Domain.Rendering;

namespace RenderOwl.Domain.UnitTests;

/// <summary>Every operation of <see cref="Render"/> does what <see cref="RenderTransitions"/> says, from every status.</summary>
public sealed class RenderTransitionsTests
{
    private static readonly DateTimeOffset Now = new(2026, 12, 1, 12, 0, 0, TimeSpan.Zero);

    private static readonly Dictionary<string, Action<Render>> Operations = new()
    {
        ["start"] = r => r.Start("w", Now.AddMinutes(1), Now),
        ["succeed"] = r => r.Succeed(new RenderOutputInfo("k", "mp4", 64, 64, 5, 1, 1, "h"), Now),
        ["fail"] = r => r.Fail("x", "y", Now),
        ["retry"] = r => r.Retry("x", "y", Now, Now),
        ["release"] = r => r.Release(),
        ["requeue"] = r => r.RequeueAfterLostLease(Now),
        ["confirm cancellation"] = r => r.ConfirmCanceled(Now),
        ["cancel"] = r => r.RequestCancel(Now),
    };

    /// <summary>A render brought to <paramref name="status"/> by the operations themselves.</summary>
    private static Render In(RenderStatus status)
    {
        var r = Render.Submit(new ProjectId(Guid.CreateVersion7()), new UserId(Guid.CreateVersion7()), null, "{}", [],
            new OutputSettings(OutputFormat.Mp4, 64, 64, 5, Quality.Draft), RenderPriority.Normal, false, [], "{}", null, 1, 3, Now);
        switch (status)
        {
            case RenderStatus.Rendering: r.Start("w", Now.AddMinutes(1), Now); break;
            case RenderStatus.Succeeded: r.Start("w", Now.AddMinutes(1), Now); r.Succeed(new RenderOutputInfo("k", "mp4", 64, 64, 5, 1, 1, "h"), Now); break;
            case RenderStatus.Failed: r.Fail("x", "y", Now); break;
            case RenderStatus.Canceled: r.RequestCancel(Now); break;
        }
        Assert.Equal(status, r.Status);
        return r;
    }

    public static TheoryData<RenderStatus, string> Every()
    {
        var data = new TheoryData<RenderStatus, string>();
        foreach (var status in Enum.GetValues<RenderStatus>())
        {
            foreach (var operation in Operations.Keys)
            {
                data.Add(status, operation);
            }
        }
        return data;
    }

    [Theory]
    [MemberData(nameof(Every))]
    public void An_operation_is_allowed_exactly_where_the_table_says_and_leads_where_it_says(RenderStatus from, string operation)
    {
        var render = In(from);
        var allowed = RenderTransitions.Allows(from, operation, out var to);
        if (operation == "cancel" && from == RenderStatus.Rendering)
        {
            // A cancel of a running render is a request: the worker stops it and confirms (Rendering → Canceled).
            Operations[operation](render);
            Assert.True(render.CancelRequested);
            Assert.True(RenderTransitions.Allows(from, "confirm cancellation", out _));
            return;
        }
        if (!allowed)
        {
            Assert.Throws<DomainRuleException>(() => Operations[operation](render));
            return;
        }
        Operations[operation](render);
        Assert.Equal(to, render.Status);
    }

    [Fact]
    public void The_final_statuses_are_those_nothing_leads_out_of()
        => Assert.Equal([RenderStatus.Succeeded, RenderStatus.Failed, RenderStatus.Canceled], Enum.GetValues<RenderStatus>().Where(s => s.IsFinal()));
}
