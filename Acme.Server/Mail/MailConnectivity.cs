namespace Acme.Server.Mail;

/// <summary>
/// When the mail side last reached its servers: the sender updates <see cref="Smtp"/> after every send
/// attempt, the IMAP reply source <see cref="Imap"/> after every fetch. Read by the readiness check.
/// One per application.
/// </summary>
public sealed class MailConnectivity(TimeProvider time)
{
    public MailLink Smtp { get; } = new(time);

    public MailLink Imap { get; } = new(time);
}

/// <summary>The last successful and the last failed connection to one mail server.</summary>
public sealed class MailLink(TimeProvider time)
{
    private readonly Lock _lock = new();
    private MailLinkState _state = new(null, null, null);

    public MailLinkState State
    {
        get
        {
            lock (_lock)
            {
                return _state;
            }
        }
    }

    /// <summary>The server answered (it may still have refused the one message).</summary>
    public void Succeeded()
    {
        lock (_lock)
        {
            _state = _state with { LastSuccess = time.GetUtcNow() };
        }
    }

    /// <summary>The server could not be reached or failed for now: <paramref name="detail"/> says why.</summary>
    public void Failed(string detail)
    {
        lock (_lock)
        {
            _state = _state with { LastFailure = time.GetUtcNow(), LastError = detail };
        }
    }
}

/// <summary>A snapshot of a <see cref="MailLink"/>; the link is down when its latest attempt failed.</summary>
public sealed record MailLinkState(DateTimeOffset? LastSuccess, DateTimeOffset? LastFailure, string? LastError)
{
    public bool LatestFailed => LastFailure is { } failed && (LastSuccess is not { } ok || failed >= ok);
}
