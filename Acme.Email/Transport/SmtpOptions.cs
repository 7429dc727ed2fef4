namespace Acme.Email.Transport;

/// <summary>Settings of the SMTP submission server for challenge emails (configuration section <c>Smtp</c>).</summary>
public sealed class SmtpOptions
{
    /// <summary>The configuration section name.</summary>
    public const string SectionName = "Smtp";

    /// <summary>Server host name or IP address.</summary>
    public string Host { get; set; } = string.Empty;

    /// <summary>Server port (25, 465, 587, …).</summary>
    public int Port { get; set; } = 587;

    /// <summary>How the connection is secured.</summary>
    public MailSecurity Security { get; set; } = MailSecurity.StartTls;

    /// <summary>Optional SMTP AUTH user name; requires <see cref="PasswordFile"/>.</summary>
    public string? UserName { get; set; }

    /// <summary>Path of a file whose first line is the password (secrets are never configured inline).</summary>
    public string? PasswordFile { get; set; }

    /// <summary>Timeout of each network operation.</summary>
    public TimeSpan Timeout { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>
    /// Accept any TLS server certificate. Honoured ONLY when <see cref="Host"/> is <c>localhost</c> or a
    /// loopback IP address (a local relay with a self-signed certificate); ignored for every other host.
    /// </summary>
    public bool AcceptInvalidCertificatesForLoopback { get; set; }

    /// <summary>Checks the settings, naming the first bad one.</summary>
    /// <exception cref="InvalidOperationException">A setting is missing or invalid.</exception>
    public void Validate()
    {
        MailConnection.ValidateEndpoint(SectionName, Host, Port, Security, UserName, PasswordFile);
        if (Timeout <= TimeSpan.Zero || Timeout > TimeSpan.FromMinutes(10))
        {
            throw new InvalidOperationException($"{SectionName}:Timeout must be between 0 and 10 minutes.");
        }
    }
}
