namespace Acme.Email.Transport;

/// <summary>How a mail connection (SMTP or IMAP) is secured.</summary>
public enum MailSecurity
{
    /// <summary>Plain text; only sensible on loopback or a trusted network.</summary>
    None,

    /// <summary>Require STARTTLS; fail if the server does not offer it.</summary>
    StartTls,

    /// <summary>TLS from the first byte (implicit TLS, e.g. ports 465 and 993).</summary>
    SslOnConnect,

    /// <summary>Use STARTTLS when offered, else stay in plain text.</summary>
    StartTlsWhenAvailable,
}
