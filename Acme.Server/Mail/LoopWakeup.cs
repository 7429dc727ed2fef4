namespace Acme.Server.Mail;

/// <summary>
/// Lets a background loop sleep until there is work instead of polling: producers call
/// <see cref="Notify"/> after committing work that becomes due at a given time, and the loop's wait
/// ends at the earliest such time, at the latest after its interval (the poll that still finds work
/// queued elsewhere: retries, other instances). Only the earliest pending time is kept; a later one
/// is found by the pass or the next poll.
/// </summary>
public class LoopWakeup(TimeProvider time)
{
    private readonly Lock _lock = new();
    private TaskCompletionSource _changed = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private DateTimeOffset? _earliest;

    /// <summary>Work becomes due at <paramref name="dueAt"/> (now or later).</summary>
    public void Notify(DateTimeOffset dueAt)
    {
        TaskCompletionSource changed;
        lock (_lock)
        {
            if (_earliest is { } earliest && earliest <= dueAt)
            {
                return;
            }

            _earliest = dueAt;
            changed = _changed;
            _changed = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        }

        changed.TrySetResult();
    }

    /// <summary>True, and forgotten, when notified work is due at <paramref name="now"/>; the wait then does not end early for it.</summary>
    public bool TryTake(DateTimeOffset now)
    {
        lock (_lock)
        {
            if (_earliest is { } due && due <= now)
            {
                _earliest = null;
                return true;
            }

            return false;
        }
    }

    /// <summary>Waits until notified work is due or <paramref name="max"/> has passed, whichever comes first.</summary>
    public async Task WaitAsync(TimeSpan max, CancellationToken ct)
    {
        var deadline = time.GetUtcNow() + max;
        while (true)
        {
            Task changed;
            TimeSpan wait;
            lock (_lock)
            {
                var now = time.GetUtcNow();
                if (_earliest is { } due && due <= now)
                {
                    _earliest = null;
                    return;
                }

                var until = _earliest is { } next && next < deadline ? next : deadline;
                if (until <= now)
                {
                    return;
                }

                wait = until - now;
                changed = _changed.Task;
            }

            using var stopTimer = CancellationTokenSource.CreateLinkedTokenSource(ct);
            var timer = Task.Delay(wait, time, stopTimer.Token);
            await Task.WhenAny(changed, timer);
            await stopTimer.CancelAsync();
            ct.ThrowIfCancellationRequested();
        }
    }
}

/// <summary>Wakes the challenge-mail sender when a mail is queued.</summary>
public sealed class OutboxWakeup(TimeProvider time) : LoopWakeup(time);
