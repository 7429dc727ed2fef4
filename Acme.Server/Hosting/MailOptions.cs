namespace Acme.Server.Hosting;

/// <summary>Section <c>Mail</c>: how challenge mails go out and replies come in (RFC 8823 §3 steps 4-6).</summary>
public sealed class MailOptions
{
    public const string Section = "Mail";

    /// <summary>
    /// Delay between token-part1 creation and the first send. acme_email only notices mail that arrives
    /// after it starts IMAP IDLE, which it does after fetching the authorization (client-interop 2.3).
    /// </summary>
    public TimeSpan FirstSendDelay { get; set; } = TimeSpan.FromSeconds(3);

    /// <summary>Mail-bombing guard: new authorizations (challenge mails) per mailbox in 24 hours.</summary>
    public int MaxChallengesPerMailboxPerDay { get; set; } = 10;

    /// <summary>Mail-bombing guard: new authorizations (challenge mails) per account in one hour.</summary>
    public int MaxChallengesPerAccountPerHour { get; set; } = 100;

    /// <summary>Mail-bombing guard: new authorizations (challenge mails) per recipient domain in one hour, all accounts together.</summary>
    public int MaxChallengesPerDomainPerHour { get; set; } = 200;

    /// <summary>
    /// How long a claim on a challenge mail lasts without renewal. The sender renews it every third of this
    /// while the send runs, so only a dead sender's claim runs out; then another sender takes the mail over.
    /// </summary>
    public TimeSpan SendLease { get; set; } = TimeSpan.FromMinutes(1);

    /// <summary>
    /// The most time one pass over the replies spends waiting for DKIM key lookups; replies not reached
    /// are judged in the next pass, so slow DNS for one domain cannot hold up the others for long.
    /// </summary>
    public TimeSpan ReplyDnsBudgetPerPass { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>
    /// One challenge mail at a time per order, in authorization order: each after the reply to the
    /// previous one was recorded plus <see cref="SequentialSendDelay"/>; the others wait queued (their
    /// challenges stay pending; the Random Value's 24 hours still count from token creation). For
    /// acme_email, which reads only the last message IMAP announces; on in the compatibility profile.
    /// </summary>
    public bool SequentialChallengeMails { get; set; }

    /// <summary>Wait after the previous reply was recorded before the next challenge mail of the order goes out.</summary>
    public TimeSpan SequentialSendDelay { get; set; } = TimeSpan.FromSeconds(3);

    /// <summary>Where challenge mails are written when no SMTP host is configured. Relative to the data directory.</summary>
    public string OutgoingDirectory { get; set; } = "mail/outgoing";

    /// <summary>Maildir-style folder read for replies when no IMAP host is configured. Relative to the data directory.</summary>
    public string IncomingDirectory { get; set; } = "mail/incoming";

    /// <summary>Runs the mail loops in the background. Tests turn it off and drive each pass themselves.</summary>
    public bool RunInBackground { get; set; } = true;

    /// <summary>How often the background loop looks for due mails and new replies (IMAP IDLE wakes it sooner).</summary>
    public TimeSpan LoopInterval { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>
    /// Several instances: one reads replies at a time, holding a lease it renews every pass; when it dies,
    /// another takes over after at most this long. Default 30 seconds.
    /// </summary>
    public TimeSpan ReaderLease { get; set; } = TimeSpan.FromSeconds(30);
}
