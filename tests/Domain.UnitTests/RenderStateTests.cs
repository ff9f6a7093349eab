using RenderOwl.Domain.Common;
using RenderOwl.Domain.Rendering;

namespace RenderOwl.Domain.UnitTests;

public sealed class RenderStateTests
{
    private static readonly DateTimeOffset Now = new(2026, 11, 23, 12, 0, 0, TimeSpan.Zero);

    private static Render NewRender(int maxAttempts = 3) => Render.Submit(new ProjectId(Guid.CreateVersion7()), new UserId(Guid.CreateVersion7()), null, "{}", [],
        new OutputSettings(OutputFormat.Mp4, 64, 64, 5, Quality.Draft), RenderPriority.Normal, false, [], "{}", null, 1, maxAttempts, Now);

    [Fact]
    public void The_happy_path_counts_attempts_and_times()
    {
        var r = NewRender();
        Assert.Equal(RenderStatus.Queued, r.Status);
        r.Start("w1", Now.AddSeconds(32), Now.AddSeconds(2));
        Assert.Equal((RenderStatus.Rendering, 1, 2000L), (r.Status, r.Attempts, r.WaitMs!.Value));
        r.Succeed(new RenderOutputInfo("renders/x.mp4", "mp4", 64, 64, 5, 1, 100, "h"), Now.AddSeconds(5));
        Assert.Equal((RenderStatus.Succeeded, 100, 3000L), (r.Status, r.Progress, r.RunMs!.Value));
        Assert.Null(r.LeaseOwner);
    }

    [Fact]
    public void Illegal_transitions_are_refused()
    {
        var done = NewRender();
        done.Start("w", Now, Now);
        done.Succeed(new RenderOutputInfo("k", "mp4", 1, 1, 1, 1, 1, "h"), Now);
        Assert.Throws<DomainRuleException>(() => done.RequestCancel(Now));
        Assert.Throws<DomainRuleException>(() => done.Start("w", Now, Now));
        Assert.Throws<DomainRuleException>(() => done.Fail("x", "y", Now));
        Assert.Throws<DomainRuleException>(() => done.Retry("x", "y", Now, Now));
        var queued = NewRender();
        Assert.Throws<DomainRuleException>(() => queued.Succeed(new RenderOutputInfo("k", "mp4", 1, 1, 1, 1, 1, "h"), Now));
        Assert.Throws<DomainRuleException>(() => queued.ConfirmCanceled(Now));
        Assert.Throws<DomainRuleException>(() => queued.Release());
    }

    [Fact]
    public void Retry_requeues_with_a_later_attempt_time_until_attempts_run_out()
    {
        var r = NewRender(maxAttempts: 2);
        r.Start("w", Now, Now);
        r.Retry("engine_crashed", "crash", Now.AddSeconds(10), Now.AddSeconds(1));
        Assert.Equal((RenderStatus.Queued, 1, Now.AddSeconds(10)), (r.Status, r.Attempts, r.NextAttemptAt));
        r.Start("w", Now.AddSeconds(40), Now.AddSeconds(10));
        Assert.Equal(2, r.Attempts);
        Assert.Throws<DomainRuleException>(() => r.Retry("engine_crashed", "crash", Now.AddSeconds(20), Now.AddSeconds(11)));
    }

    [Fact]
    public void Release_returns_to_the_queue_without_counting_and_a_lost_lease_counts()
    {
        var r = NewRender();
        r.Start("w", Now, Now);
        r.Release();
        Assert.Equal((RenderStatus.Queued, 0), (r.Status, r.Attempts));
        r.Start("w2", Now, Now);
        r.RequeueAfterLostLease(Now);
        Assert.Equal((RenderStatus.Queued, 1), (r.Status, r.Attempts));
    }

    [Fact]
    public void Cancel_is_immediate_when_queued_and_requested_when_running()
    {
        var queued = NewRender();
        Assert.True(queued.RequestCancel(Now));
        Assert.Equal(RenderStatus.Canceled, queued.Status);
        var running = NewRender();
        running.Start("w", Now, Now);
        Assert.False(running.RequestCancel(Now));
        Assert.True(running.CancelRequested);
        Assert.Equal(RenderStatus.Rendering, running.Status);
        running.ConfirmCanceled(Now);
        Assert.Equal(RenderStatus.Canceled, running.Status);
    }
}
