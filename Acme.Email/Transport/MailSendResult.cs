namespace Acme.Email.Transport;

/// <summary>The result of one send attempt.</summary>
/// <param name="Outcome">Delivered, retry later, or rejected.</param>
/// <param name="Detail">A human-readable reason for a failure (server reply or exception message); null when delivered.</param>
public sealed record MailSendResult(MailSendOutcome Outcome, string? Detail)
{
    /// <summary>The shared result for a delivered message.</summary>
    public static MailSendResult Delivered { get; } = new(MailSendOutcome.Delivered, null);

    /// <summary>A temporary failure.</summary>
    /// <param name="reason">Why the send failed.</param>
    /// <returns>A <see cref="MailSendOutcome.RetryLater"/> result.</returns>
    public static MailSendResult RetryLater(string reason) => new(MailSendOutcome.RetryLater, reason);

    /// <summary>A permanent failure.</summary>
    /// <param name="reason">Why the message was refused.</param>
    /// <returns>A <see cref="MailSendOutcome.Rejected"/> result.</returns>
    public static MailSendResult Rejected(string reason) => new(MailSendOutcome.Rejected, reason);
}
