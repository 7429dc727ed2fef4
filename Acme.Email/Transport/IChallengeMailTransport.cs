using MimeKit;

namespace Acme.Email.Transport;

/// <summary>Sends a signed challenge email. Implementations report transport errors as results, never as exceptions.</summary>
public interface IChallengeMailTransport
{
    /// <summary>Sends the message exactly as it is (it is already DKIM-signed).</summary>
    /// <param name="message">The signed message.</param>
    /// <param name="ct">Cancels the send; cancellation is the only exception thrown.</param>
    /// <returns>Whether the message was handed over, should be retried, or was refused for good.</returns>
    Task<MailSendResult> SendAsync(MimeMessage message, CancellationToken ct);
}
