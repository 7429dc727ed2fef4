namespace Acme.Validation.Dkim;

/// <summary>Options for <see cref="ReplyDkimVerifier"/>.</summary>
public sealed record DkimPolicy
{
    /// <summary>The default policy: <see cref="DkimHeaderCoverage.PresentOnly"/>, RSA keys of 1024 bits or more.</summary>
    public static DkimPolicy Default { get; } = new();

    /// <summary>How the <c>h=</c> list is checked.</summary>
    public DkimHeaderCoverage HeaderCoverage { get; init; } = DkimHeaderCoverage.PresentOnly;

    /// <summary>The shortest RSA key accepted, in bits (RFC 8301 §3.2 sets the floor at 1024).</summary>
    public int MinimumRsaKeyBits { get; init; } = 1024;

    /// <summary>How far in the future a signature's <c>t=</c> may lie before it is refused.</summary>
    public TimeSpan AllowedClockSkew { get; init; } = TimeSpan.FromHours(1);
}
