namespace Acme.Validation.Dkim;

/// <summary>
/// Thrown by <see cref="DkimKeyLocator"/> when no usable key can be obtained, so that
/// <see cref="ReplyDkimVerifier"/> can turn it into a reasoned failure.
/// </summary>
public sealed class DkimKeyLookupException : Exception
{
    /// <summary>Creates the exception.</summary>
    /// <param name="message">The reason, phrased for an ACME error detail.</param>
    /// <param name="isTemporary">True when a later lookup may succeed (a DNS temporary failure).</param>
    public DkimKeyLookupException(string message, bool isTemporary)
        : base(message)
    {
        IsTemporary = isTemporary;
    }

    /// <summary>Creates a permanent failure.</summary>
    public DkimKeyLookupException()
        : this("the DKIM key could not be obtained", false)
    {
    }

    /// <summary>Creates a permanent failure with a message.</summary>
    public DkimKeyLookupException(string message)
        : this(message, false)
    {
    }

    /// <summary>Creates a permanent failure wrapping a cause.</summary>
    public DkimKeyLookupException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    /// <summary>True when the failure is temporary (the DNS lookup did not complete).</summary>
    public bool IsTemporary { get; }
}
