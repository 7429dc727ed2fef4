namespace Acme.Email.Imap;

/// <summary>The IMAP server could not be used (network, TLS, login, protocol or folder error); back off and retry.</summary>
public sealed class ImapUnavailableException : Exception
{
    /// <summary>Creates the exception.</summary>
    public ImapUnavailableException()
    {
    }

    /// <summary>Creates the exception with a reason.</summary>
    /// <param name="message">The reason.</param>
    public ImapUnavailableException(string message)
        : base(message)
    {
    }

    /// <summary>Creates the exception with a reason and the underlying error.</summary>
    /// <param name="message">The reason.</param>
    /// <param name="innerException">The underlying error.</param>
    public ImapUnavailableException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
