using Acme.Server.Mail;
using Microsoft.Extensions.Time.Testing;

namespace Acme.Tests.Server.Mail;

public sealed class LoopWakeupTests
{
    private readonly FakeTimeProvider _time = new(DateTimeOffset.UnixEpoch.AddDays(20000));

    [Test]
    public async Task Wait_WithoutNotice_EndsOnlyAfterTheInterval()
    {
        var wakeup = new LoopWakeup(_time);
        var wait = wakeup.WaitAsync(TimeSpan.FromSeconds(10), CancellationToken.None);

        _time.Advance(TimeSpan.FromSeconds(9));
        Assert.That(wait.IsCompleted, Is.False);
        _time.Advance(TimeSpan.FromSeconds(1));
        await wait.WaitAsync(TimeSpan.FromSeconds(10));
    }

    [Test]
    public async Task Notify_WorkDueNow_EndsTheWaitAtOnce()
    {
        var wakeup = new LoopWakeup(_time);
        var wait = wakeup.WaitAsync(TimeSpan.FromHours(1), CancellationToken.None);
        Assert.That(wait.IsCompleted, Is.False);

        wakeup.Notify(_time.GetUtcNow());

        await wait.WaitAsync(TimeSpan.FromSeconds(10));
    }

    [Test]
    public async Task Notify_WorkDueLater_EndsTheWaitAtItsDueTime()
    {
        var wakeup = new LoopWakeup(_time);
        var wait = wakeup.WaitAsync(TimeSpan.FromHours(1), CancellationToken.None);

        wakeup.Notify(_time.GetUtcNow().AddSeconds(3));
        _time.Advance(TimeSpan.FromSeconds(2));
        await Task.Yield();
        Assert.That(wait.IsCompleted, Is.False);
        _time.Advance(TimeSpan.FromSeconds(1));

        await wait.WaitAsync(TimeSpan.FromSeconds(10));
    }

    [Test]
    public async Task Notify_BeforeTheWait_IsNotLost()
    {
        var wakeup = new LoopWakeup(_time);
        wakeup.Notify(_time.GetUtcNow());

        await wakeup.WaitAsync(TimeSpan.FromHours(1), CancellationToken.None).WaitAsync(TimeSpan.FromSeconds(10));

        var next = wakeup.WaitAsync(TimeSpan.FromHours(1), CancellationToken.None);
        Assert.That(next.IsCompleted, Is.False, "a notice wakes one wait only");
    }

    [Test]
    public void Wait_Cancelled_Throws()
    {
        var wakeup = new LoopWakeup(_time);
        using var cts = new CancellationTokenSource();
        var wait = wakeup.WaitAsync(TimeSpan.FromHours(1), cts.Token);

        cts.Cancel();

        Assert.That(async () => await wait.WaitAsync(TimeSpan.FromSeconds(10)), Throws.InstanceOf<OperationCanceledException>());
    }
}
