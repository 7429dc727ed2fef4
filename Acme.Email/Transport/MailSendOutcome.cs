namespace Acme.Email.Transport;

/// <summary>The kind of a <see cref="MailSendResult"/>.</summary>
public enum MailSendOutcome
{
    /// <summary>The message was handed over (accepted by the server, or written to disk).</summary>
    Delivered,

    /// <summary>A temporary failure (4xx, network, TLS, timeout, authentication): try again later.</summary>
    RetryLater,

    /// <summary>A permanent refusal (5xx): retrying the same message will not help.</summary>
    Rejected,
}
